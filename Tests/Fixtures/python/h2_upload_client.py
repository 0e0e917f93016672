"""An HTTP/2 client (cleartext, prior knowledge, on the `h2` package) that sends request bodies in pieces.

Reads {"port", "requests": [{"path", "headers": [[name, value]], "pieces": [text], "duplex", "end"}]} as
JSON from stdin and sends each request as a POST, one after the other, on one connection (streams 1, 3, 5,
...). A request's pieces go out as DATA within the server's flow-control windows, so a server that does not
give the windows back stalls the client (and the run ends with "timeout"). With "duplex", each piece after
the first waits until an answer's DATA has arrived since the previous piece; with "end": false, the body is
never ended and the answer is read alone. Prints, per request, the status, the DATA as text, whether the
answer ended cleanly and the code of its RST_STREAM if the server reset it. A socket that stays silent for
10 s ends the run with "timeout": true.
"""

import json
import socket
import sys

import h2.config
import h2.connection
import h2.events


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.connection = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.connection.initiate_connection()
        self.flush()
        self.answers = {}
        self.timeout = False

    def flush(self):
        self.sock.sendall(self.connection.data_to_send())

    def pump(self):
        """Reads once and records what arrived; False when the socket closed or stayed silent."""
        try:
            received = self.sock.recv(65536)
        except socket.timeout:
            self.timeout = True
            return False
        if not received:
            return False
        for event in self.connection.receive_data(received):
            answer = self.answers.get(getattr(event, "stream_id", None))
            if answer is None:
                continue
            if isinstance(event, h2.events.ResponseReceived):
                answer["status"] = int(dict(event.headers)[":status"])
            elif isinstance(event, h2.events.DataReceived):
                self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                answer["data"].append(event.data.decode())
            elif isinstance(event, h2.events.StreamEnded):
                answer["ended"] = True
            elif isinstance(event, h2.events.StreamReset):
                answer["reset"] = int(event.error_code)
        self.flush()
        return True

    def done(self, stream_id):
        answer = self.answers[stream_id]
        return answer["ended"] or answer["reset"] is not None

    def send(self, stream_id, data):
        """Sends `data` as DATA frames, waiting for window updates whenever a window is spent."""
        while data:
            if self.done(stream_id):
                return
            window = min(self.connection.local_flow_control_window(stream_id), self.connection.max_outbound_frame_size)
            if window <= 0:
                if not self.pump():
                    return
                continue
            self.connection.send_data(stream_id, data[:window])
            self.flush()
            data = data[window:]

    def request(self, stream_id, request):
        answer = {"status": None, "data": [], "ended": False, "reset": None}
        self.answers[stream_id] = answer
        headers = [(":method", "POST"), (":path", request["path"]), (":scheme", "http"), (":authority", "127.0.0.1")]
        headers += [tuple(pair) for pair in request.get("headers", [])]
        self.connection.send_headers(stream_id, headers)
        self.flush()
        pieces = [piece.encode() for piece in request.get("pieces", [])]
        for index, piece in enumerate(pieces):
            if request.get("duplex") and index > 0:
                seen = len(answer["data"])
                while len(answer["data"]) == seen and not self.done(stream_id):
                    if not self.pump():
                        break
            self.send(stream_id, piece)
        if request.get("end", True) and not self.done(stream_id):
            self.connection.end_stream(stream_id)
            self.flush()
        while not self.done(stream_id):
            if not self.pump():
                break
        return {"status": answer["status"], "data": "".join(answer["data"]), "ended": answer["ended"], "reset": answer["reset"]}


def main():
    request = json.load(sys.stdin)
    client = Client(request["port"])
    results = []
    for index, each in enumerate(request["requests"]):
        results.append(client.request(1 + 2 * index, each))
        if client.timeout:
            break
    client.sock.close()
    print(json.dumps({"results": results, "timeout": client.timeout}))


if __name__ == "__main__":
    main()
