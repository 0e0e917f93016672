"""Talks gzip to the gateway at 127.0.0.1:<port> with http.client and prints one JSON object of what it saw.

Cases: a GET with and without Accept-Encoding: gzip (the answer's headers, and the body decompressed), and
POSTs to <post-path> with <post-body> gzipped, a zip bomb (8 MiB of zeros), bytes that are not gzip, and a coding
the gateway does not take."""

import gzip
import http.client
import json
import sys

port, get_path, post_path, post_body = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()


def request(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, {name.lower(): value for name, value in response.getheaders()}, data


result = {}
status, headers, data = request("GET", get_path, headers={"Accept-Encoding": "gzip"})
result["gzip"] = {"status": status, "headers": headers, "compressed": len(data), "body": gzip.decompress(data).decode()
                  if headers.get("content-encoding") == "gzip" else data.decode()}
status, headers, data = request("GET", get_path, headers={"Accept-Encoding": "gzip;q=0, identity"})
result["identity"] = {"status": status, "headers": headers, "body": data.decode()}

json_headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
status, _, data = request("POST", post_path, gzip.compress(post_body), json_headers)
result["gzip_body"] = {"status": status, "body": data.decode()}
status, _, data = request("POST", post_path, gzip.compress(b" " * (8 << 20)), json_headers)
result["zip_bomb"] = {"status": status, "body": data.decode()}
status, _, data = request("POST", post_path, b"not gzip at all", json_headers)
result["not_gzip"] = {"status": status, "body": data.decode()}
status, headers, data = request("POST", post_path, b"{}", {"Content-Type": "application/json", "Content-Encoding": "br"})
result["brotli"] = {"status": status, "accept_encoding": headers.get("accept-encoding"), "body": data.decode()}
print(json.dumps(result))
