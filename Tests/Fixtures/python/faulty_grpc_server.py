"""A gRPC backend that breaks the protocol on purpose, one way per call, written with raw HTTP/2 frames
(`hyperframe`, `hpack`) so that it can send what a real gRPC library never would.

Usage: faulty_grpc_server.py COUNTS_FILE [--silent]. Prints its port, then serves every method the same way:
the call's `x-fault` metadata picks the answer, and the number of calls seen per fault is written to
COUNTS_FILE (JSON) before the answer goes out. With --silent it accepts connections and never reads or
writes a byte.

Faults: "none" (an empty message, OK), "oversized" (a length prefix of 2 GiB), "bad-compression" (a
compressed message without grpc-encoding), "truncated" (a length prefix longer than the message, then the
end of the stream), "no-trailers" (a message and the end of the stream without grpc-status), "trailers-twice"
(two trailer blocks), "stall" (response headers, then nothing), "stall-after-message" (headers and a message, then nothing), "reset" (RST_STREAM INTERNAL_ERROR),
"goaway" (GOAWAY naming no stream processed, then the connection closed), "garbage" (bytes that are not
HTTP/2, then the connection closed).
"""

import json
import os
import socket
import sys
import threading

from hpack import Decoder, Encoder
from hyperframe.frame import (
    DataFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    RstStreamFrame,
    SettingsFrame,
)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
counts = {}
counts_lock = threading.Lock()


def count(fault, path):
    with counts_lock:
        key = f"{fault} {path}"
        counts[key] = counts.get(key, 0) + 1
        temporary = sys.argv[1] + ".tmp"
        with open(temporary, "w") as file:
            json.dump(counts, file)
        os.replace(temporary, sys.argv[1])


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.buffer = b""
        self.requests = {}
        self.lock = threading.Lock()

    def send(self, *frames):
        with self.lock:
            self.sock.sendall(b"".join(frame.serialize() for frame in frames))

    def headers(self, stream_id, fields, end_stream=False):
        frame = HeadersFrame(stream_id, self.encoder.encode(fields))
        frame.flags.add("END_HEADERS")
        if end_stream:
            frame.flags.add("END_STREAM")
        return frame

    def read_exactly(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def serve(self):
        if self.read_exactly(len(PREFACE)) != PREFACE:
            return
        self.send(SettingsFrame(0))
        while True:
            header = self.read_exactly(9)
            frame, length = Frame.parse_frame_header(memoryview(header))
            frame.parse_body(memoryview(self.read_exactly(length)))
            if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                self.send(SettingsFrame(0, flags=["ACK"]))
            elif isinstance(frame, PingFrame) and "ACK" not in frame.flags:
                self.send(PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"]))
            elif isinstance(frame, HeadersFrame):
                self.requests[frame.stream_id] = dict(self.decoder.decode(frame.data))
                if "END_STREAM" in frame.flags:
                    self.answer(frame.stream_id)
            elif isinstance(frame, DataFrame) and "END_STREAM" in frame.flags:
                self.answer(frame.stream_id)

    def answer(self, stream_id):
        request = self.requests.pop(stream_id, {})
        fault = request.get("x-fault", "none")
        count(fault, request.get(":path", ""))
        head = [(":status", "200"), ("content-type", "application/grpc")]
        empty = b"\x00\x00\x00\x00\x00"
        ok = [("grpc-status", "0")]
        if fault == "none":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, empty), self.headers(stream_id, ok, end_stream=True))
        elif fault == "oversized":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, b"\x00\x7f\xff\xff\xff" + b"x" * 64))
        elif fault == "bad-compression":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, b"\x01\x00\x00\x00\x02ab"), self.headers(stream_id, ok, end_stream=True))
        elif fault == "truncated":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, b"\x00\x00\x00\x00\x10abc", flags=["END_STREAM"]))
        elif fault == "no-trailers":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, empty, flags=["END_STREAM"]))
        elif fault == "trailers-twice":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, empty), self.headers(stream_id, ok),
                      self.headers(stream_id, ok, end_stream=True))
        elif fault == "stall":
            self.send(self.headers(stream_id, head))
        elif fault == "stall-after-message":
            self.send(self.headers(stream_id, head), DataFrame(stream_id, empty))
        elif fault == "reset":
            self.send(RstStreamFrame(stream_id, error_code=0x2))
        elif fault == "goaway":
            self.send(GoAwayFrame(0, last_stream_id=0, error_code=0))
            self.sock.shutdown(socket.SHUT_RDWR)
        elif fault == "garbage":
            with self.lock:
                self.sock.sendall(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
            self.sock.shutdown(socket.SHUT_RDWR)


def handle(sock):
    try:
        if "--silent" in sys.argv:
            threading.Event().wait()
        Connection(sock).serve()
    except (ConnectionError, OSError):
        pass
    finally:
        sock.close()


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=handle, args=(sock,), daemon=True).start()


main()
