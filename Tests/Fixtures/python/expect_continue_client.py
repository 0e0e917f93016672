"""Sends requests with `Expect: 100-continue` to the gateway at 127.0.0.1:<port> over raw sockets, the way
curl does: the head first, the body only after `100 Continue`. Prints one JSON object: for each case, what
arrived before the body was sent (the interim or early answer's status line and headers) and the final
answer's status line.

Cases: `admitted` (POST <open-path>, <body>), `refused` (POST <auth-path> without credentials), `unknown`
(POST to a path no route has), `unsupported` (Expect: something-else)."""

import json
import socket
import sys

port, open_path, auth_path, body = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()


def read_head(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode(), rest


def exchange(path, expectation="100-continue"):
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Expect: {expectation}\r\nConnection: close\r\n\r\n")
    connection.sendall(head.encode())
    first, rest = read_head(connection)
    result = {"first": first.split("\r\n")[0], "first_headers": first.lower()}
    if first.startswith("HTTP/1.1 100"):
        connection.sendall(body)
        final, rest = read_head(connection) if not rest else (rest.decode().partition("\r\n\r\n")[0], b"")
        result["final"] = final.split("\r\n")[0]
    connection.close()
    return result


print(json.dumps({
    "admitted": exchange(open_path),
    "refused": exchange(auth_path),
    "unknown": exchange("/v1/nowhere"),
    "unsupported": exchange(open_path, "something-else"),
}))
