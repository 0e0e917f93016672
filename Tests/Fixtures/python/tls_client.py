"""Connects to the gateway's HTTPS listener with Python's ssl module, once per case read as JSON from stdin:
{"port", "ca", "cases": [{"sni", "version": "1.2"|"1.3"|null, "alpn": [protocols], "cert", "key", "path", "method",
"body"}]} (ALPN offers h2 and http/1.1 unless told; the request is HTTP/1.1 whatever is negotiated). Prints
a JSON list, one result per case: the handshake's version, ALPN protocol, the server certificate's common
name and serial, and the HTTP status and body of <method> <path> (GET without a body by default); or the
error when the handshake or the request failed."""

import json
import socket
import ssl
import sys

config = json.load(sys.stdin)
results = []
for case in config["cases"]:
    context = ssl.create_default_context(cafile=config["ca"])
    context.check_hostname = False
    context.set_alpn_protocols(case.get("alpn", ["h2", "http/1.1"]))
    version = case.get("version")
    if version:
        tls_version = ssl.TLSVersion.TLSv1_2 if version == "1.2" else ssl.TLSVersion.TLSv1_3
        context.minimum_version = tls_version
        context.maximum_version = tls_version
    if case.get("cert"):
        context.load_cert_chain(case["cert"], case["key"])
    result = {}
    try:
        with socket.create_connection(("127.0.0.1", config["port"]), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=case["sni"]) as tls:
                certificate = tls.getpeercert()
                result["version"] = tls.version()
                result["alpn"] = tls.selected_alpn_protocol()
                result["common_name"] = dict(item[0] for item in certificate["subject"]).get("commonName")
                result["serial"] = certificate["serialNumber"]
                body = case.get("body", "").encode()
                head = f"{case.get('method', 'GET')} {case['path']} HTTP/1.1\r\nHost: {case['sni']}\r\nConnection: close\r\n"
                head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n" if body else "\r\n"
                tls.sendall(head.encode() + body)
                reply = b""
                while True:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
                result["status"] = int(reply.split(b" ", 2)[1]) if reply else None
                result["body"] = reply.partition(b"\r\n\r\n")[2].decode(errors="replace")
    except (ssl.SSLError, OSError) as error:
        result["error"] = type(error).__name__ + ": " + str(error)
    results.append(result)
print(json.dumps(results))
