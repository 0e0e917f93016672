"""An HTTP/2 client (cleartext, prior knowledge, on the `h2` package) that follows one streamed answer.

Reads {"port", "path", "headers": [[name, value]], "then"} as JSON from stdin. It sends `GET path` on stream
1 and waits for the first DATA frame; then, per "then":
- "release": sends `POST /v1/release` (body `{}`) on stream 3, so a gated backend sends its next message, and
  reads stream 1 to its end;
- "reset": resets stream 1 with CANCEL and stops;
- "read": reads stream 1 to its end.
Prints one JSON result: the status, the content type, the DATA of stream 1 in order (as text), whether it
ended cleanly and the code of its RST_STREAM if the server reset it. A socket that stays silent for 10 s
ends the run with "timeout": true, so an answer that never starts shows as a failure, not a hang.
"""

import json
import socket
import sys

import h2.config
import h2.connection
import h2.events


def main():
    request = json.load(sys.stdin)
    sock = socket.create_connection(("127.0.0.1", request["port"]), timeout=10)
    connection = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    connection.initiate_connection()
    headers = [(":method", "GET"), (":path", request["path"]), (":scheme", "http"), (":authority", "127.0.0.1")]
    headers += [tuple(pair) for pair in request.get("headers", [])]
    connection.send_headers(1, headers, end_stream=True)
    sock.sendall(connection.data_to_send())
    result = {"status": None, "content_type": None, "data": [], "ended": False, "reset": None, "timeout": False}
    then = request.get("then", "read")
    acted = False
    done = False
    while not done:
        try:
            received = sock.recv(65536)
        except socket.timeout:
            result["timeout"] = True
            break
        if not received:
            break
        for event in connection.receive_data(received):
            if isinstance(event, h2.events.ResponseReceived) and event.stream_id == 1:
                fields = dict(event.headers)
                result["status"] = int(fields[":status"])
                result["content_type"] = fields.get("content-type")
            elif isinstance(event, h2.events.DataReceived):
                connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                if event.stream_id != 1:
                    continue
                result["data"].append(event.data.decode())
                if not acted:
                    acted = True
                    if then == "release":
                        connection.send_headers(3, [
                            (":method", "POST"), (":path", "/v1/release"), (":scheme", "http"), (":authority", "127.0.0.1"),
                            ("content-type", "application/json"),
                        ])
                        connection.send_data(3, b"{}", end_stream=True)
                    elif then == "reset":
                        connection.reset_stream(1, error_code=8)
                        done = True
            elif isinstance(event, h2.events.StreamEnded) and event.stream_id == 1:
                result["ended"] = True
                done = True
            elif isinstance(event, h2.events.StreamReset) and event.stream_id == 1:
                result["reset"] = int(event.error_code)
                done = True
        sock.sendall(connection.data_to_send())
    sock.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
