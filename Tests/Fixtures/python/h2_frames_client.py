"""A raw HTTP/2 client (cleartext, prior knowledge) that writes frames as a hostile client would, built from
the `hyperframe` and `hpack` packages so that it is free to break the rules `h2` would enforce.

Reads {"port", "case", ...} as JSON from stdin and prints one JSON result:
- "requests": {"requests": [{"method", "path", "headers": [[name, value]], "body", "content_length", "open"}]}
  sent on one connection, all at once ("open" leaves the stream open after the body); the result has each stream's "status", "body" and "reset" (RST_STREAM code),
  and the server's SETTINGS.
- "rapid_reset": {"streams"} opened and reset at once, in batches of 100.
- "continuation_flood": one HEADERS frame followed by {"frames"} CONTINUATION frames that never end the block.
- "ping_flood" / "settings_flood" / "empty_data_flood": {"frames"} PING, SETTINGS or empty DATA frames.
- "too_many_streams": {"streams"} requests opened before reading anything.
- "idle": nothing sent after the preface; reads until the server sends GOAWAY and closes.
- "reset_in_flight": a GET of {"path"} on stream 1 and a PING; once the PING is acknowledged, RST_STREAM
  CANCEL on stream 1, then a GET of {"next"} on stream 3; the result has stream 3's answer.
- "upload_through_shutdown": a GET of {"first"} answered on stream 1, then a JSON POST to {"path"} on stream 3
  whose body ends only once a GOAWAY has come; the result has every GOAWAY as [last stream id, error code]
  and stream 3's answer.
The client acknowledges the server's SETTINGS and PINGs.
Flood results say how many frames were written before the server stopped the connection, the GOAWAY's
error code (or null) and whether the connection was closed.
"""

import json
import socket
import sys

from hpack import Decoder, Encoder
from hyperframe.frame import (
    ContinuationFrame,
    DataFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    RstStreamFrame,
    SettingsFrame,
)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
CANCEL = 0x8


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.buffer = b""
        self.settings = {}
        self.goaway = None
        self.goaways = []
        self.closed = False
        self.streams = {}
        self.sock.sendall(PREFACE + SettingsFrame(0).serialize())

    def send(self, frames):
        try:
            self.sock.sendall(b"".join(frame.serialize() for frame in frames))
            return True
        except OSError:
            self.closed = True
            return False

    def headers(self, stream_id, path="/v1/slow", method="GET", extra=(), end_stream=True, end_headers=True):
        fields = [(":method", method), (":scheme", "http"), (":authority", "localhost"), (":path", path)] + list(extra)
        frame = HeadersFrame(stream_id)
        frame.data = self.encoder.encode(fields)
        if end_headers:
            frame.flags.add("END_HEADERS")
        if end_stream:
            frame.flags.add("END_STREAM")
        return frame

    def read_frame(self, timeout):
        """The next frame from the server, or None once it closed the connection."""
        self.sock.settimeout(timeout)
        try:
            while len(self.buffer) < 9:
                chunk = self.sock.recv(65536)
                if not chunk:
                    self.closed = True
                    return None
                self.buffer += chunk
            frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
            while len(self.buffer) < 9 + length:
                chunk = self.sock.recv(65536)
                if not chunk:
                    self.closed = True
                    return None
                self.buffer += chunk
        except (ConnectionResetError, BrokenPipeError):
            self.closed = True
            return None
        frame.parse_body(memoryview(self.buffer[9 : 9 + length]))
        self.buffer = self.buffer[9 + length :]
        self.observe(frame)
        return frame

    def observe(self, frame):
        if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
            self.settings.update({str(key): value for key, value in frame.settings.items()})
            self.send([SettingsFrame(0, flags=["ACK"])])
        elif isinstance(frame, GoAwayFrame):
            self.goaway = frame.error_code
            self.goaways.append([frame.last_stream_id, frame.error_code])
        elif isinstance(frame, PingFrame) and "ACK" not in frame.flags:
            self.send([PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"])])
        elif isinstance(frame, HeadersFrame):
            stream = self.streams.setdefault(frame.stream_id, {"body": ""})
            for name, value in self.decoder.decode(frame.data):
                if name == ":status":
                    stream["status"] = int(value)
        elif isinstance(frame, DataFrame):
            stream = self.streams.setdefault(frame.stream_id, {"body": ""})
            stream["body"] += frame.data.decode(errors="replace")
        elif isinstance(frame, RstStreamFrame):
            self.streams.setdefault(frame.stream_id, {"body": ""})["reset"] = frame.error_code
        if isinstance(frame, (HeadersFrame, DataFrame)) and "END_STREAM" in frame.flags:
            self.streams[frame.stream_id]["ended"] = True

    def drain(self, until, timeout=10):
        """Reads frames until `until()` holds, the server closes, or nothing comes for `timeout` seconds."""
        while not until():
            try:
                if self.read_frame(timeout) is None:
                    return
            except socket.timeout:
                return


def finished(connection, stream_ids):
    return lambda: all(
        connection.streams.get(sid, {}).get("ended") or "reset" in connection.streams.get(sid, {}) for sid in stream_ids
    )


def run_requests(connection, requests):
    frames = []
    stream_ids = []
    for index, request in enumerate(requests):
        stream_id = 1 + 2 * index
        stream_ids.append(stream_id)
        body = request.get("body", "").encode()
        extra = [tuple(pair) for pair in request.get("headers", [])]
        if "content_length" in request:
            extra.append(("content-length", str(request["content_length"])))
        still_open = request.get("open", False)
        frames.append(connection.headers(stream_id, request["path"], request.get("method", "GET"), extra, end_stream=not body and not still_open))
        for offset in range(0, len(body), 16384):
            data = DataFrame(stream_id, body[offset : offset + 16384])
            if offset + 16384 >= len(body) and not still_open:
                data.flags.add("END_STREAM")
            frames.append(data)
    connection.send(frames)
    connection.drain(finished(connection, stream_ids))
    return {
        "streams": [connection.streams.get(sid, {}) for sid in stream_ids],
        "settings": connection.settings,
        "goaway": connection.goaway,
    }


def flood(connection, frames, batch=100):
    written = 0
    for start in range(0, len(frames), batch):
        if not connection.send(frames[start : start + batch]):
            break
        written += len(frames[start : start + batch])
    connection.drain(lambda: connection.goaway is not None and connection.closed, timeout=5)
    return {"written": written, "goaway": connection.goaway, "closed": connection.closed}


def main():
    config = json.load(sys.stdin)
    connection = Connection(config["port"])
    case = config["case"]
    if case == "requests":
        result = run_requests(connection, config["requests"])
    elif case == "rapid_reset":
        frames = []
        for index in range(config["streams"]):
            stream_id = 1 + 2 * index
            frames += [connection.headers(stream_id), RstStreamFrame(stream_id, error_code=CANCEL)]
        result = flood(connection, frames, batch=200)
    elif case == "continuation_flood":
        block = connection.encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", "/v1/slow"), (":authority", "x")])
        first = HeadersFrame(1)
        first.data = block
        first.flags.add("END_STREAM")
        filler = connection.encoder.encode([("x-filler", "a" * 200)])
        frames = [first] + [ContinuationFrame(1, data=filler) for _ in range(config["frames"])]
        result = flood(connection, frames, batch=50)
    elif case == "ping_flood":
        result = flood(connection, [PingFrame(0, opaque_data=index.to_bytes(8, "big")) for index in range(config["frames"])])
    elif case == "settings_flood":
        result = flood(connection, [SettingsFrame(0) for _ in range(config["frames"])])
    elif case == "empty_data_flood":
        opening = connection.headers(1, "/v1/echo", "POST", [("content-type", "application/json")], end_stream=False)
        result = flood(connection, [opening] + [DataFrame(1, b"") for _ in range(config["frames"])])
    elif case == "too_many_streams":
        result = run_requests(connection, [{"path": "/v1/sleep?millis=300"} for _ in range(config["streams"])])
    elif case == "upload_through_shutdown":
        connection.send([connection.headers(1, config["first"])])
        connection.drain(finished(connection, [1]))
        opening = connection.headers(3, config["path"], "POST", [("content-type", "application/json")], end_stream=False)
        connection.send([opening, DataFrame(3, b'{"text":')])
        connection.drain(lambda: connection.goaways)
        connection.send([DataFrame(3, b'"late"}', flags=["END_STREAM"])])
        connection.drain(lambda: connection.closed)
        result = {"goaways": connection.goaways, "stream": connection.streams.get(3, {}), "closed": connection.closed}
    elif case == "reset_in_flight":
        connection.send([connection.headers(1, config["path"]), PingFrame(0, opaque_data=b"inflight")])
        acknowledged = []
        while not acknowledged:
            frame = connection.read_frame(10)
            if frame is None:
                break
            if isinstance(frame, PingFrame) and "ACK" in frame.flags:
                acknowledged.append(frame)
        connection.send([RstStreamFrame(1, error_code=CANCEL), connection.headers(3, config["next"])])
        connection.drain(finished(connection, [3]))
        result = {"stream": connection.streams.get(3, {}), "first": connection.streams.get(1, {})}
    elif case == "idle":
        connection.drain(lambda: connection.closed, timeout=10)
        result = {"goaway": connection.goaway, "closed": connection.closed}
    else:
        raise SystemExit(f"unknown case {case}")
    print(json.dumps(result))


main()
