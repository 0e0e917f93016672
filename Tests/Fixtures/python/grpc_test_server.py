"""A grpcio (asyncio) server with the methods of Portico's HTTP/2 tests, on raw bytes.

No generated code: a generic handler with identity serializers. It binds 127.0.0.1 on a free port, prints
the port on stdout (the readiness signal) and serves until stdin closes.

Methods (package portico.test, service Echo):
  Unary   echoes the request; request metadata comes back as initial and trailing metadata.
  Stream  sends N 4-byte big-endian indices, N = the request's 4-byte big-endian count.
  Fail    fails with the status code in the request's first byte, a message, details and a trailer.
  Slow    answers one second after the call's deadline.

Options: --gzip compresses every response (grpc.Compression.Gzip);
         --max-connection-age-ms N makes the server send GOAWAY after N ms per connection;
         --tls-cert FILE --tls-key FILE serve TLS with that PEM chain and key, and --client-ca FILE then
         requires client certificates signed by those CAs.
"""

import argparse
import asyncio
import struct
import sys

import grpc

SERVICE = "portico.test.Echo"
CUSTOM = ("x-", "y-")


def custom_metadata(context):
    return tuple((k, v) for k, v in context.invocation_metadata() if k.startswith(CUSTOM))


async def unary(request, context):
    metadata = custom_metadata(context)
    await context.send_initial_metadata(metadata)
    context.set_trailing_metadata(metadata)
    return request


async def stream(request, context):
    (count,) = struct.unpack(">I", request[:4])
    for index in range(count):
        yield struct.pack(">I", index)
    context.set_trailing_metadata((("x-count", str(count)),))


async def fail(request, context):
    code_number = request[0] if request else 2
    code = next(c for c in grpc.StatusCode if c.value[0] == code_number)
    name = code.name
    context.set_trailing_metadata((("x-failure", "yes"), ("grpc-status-details-bin", bytes([0, 1, 2, 255]))))
    await context.abort(code, f"failed: {name} \u00fc 100%")


async def slow(request, context):
    remaining = context.time_remaining()
    await asyncio.sleep((remaining if remaining is not None else 0) + 1)
    return request


def handler():
    identity = dict(request_deserializer=None, response_serializer=None)
    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "Unary": grpc.unary_unary_rpc_method_handler(unary, **identity),
            "Stream": grpc.unary_stream_rpc_method_handler(stream, **identity),
            "Fail": grpc.unary_unary_rpc_method_handler(fail, **identity),
            "Slow": grpc.unary_unary_rpc_method_handler(slow, **identity),
        },
    )


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--max-connection-age-ms", type=int)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca")
    arguments = parser.parse_args()
    options = [
        ("grpc.max_receive_message_length", 8 * 1024 * 1024),
        ("grpc.max_send_message_length", 8 * 1024 * 1024),
    ]
    if arguments.max_connection_age_ms:
        options += [
            ("grpc.max_connection_age_ms", arguments.max_connection_age_ms),
            ("grpc.max_connection_age_grace_ms", 60000),
        ]
    compression = grpc.Compression.Gzip if arguments.gzip else None
    server = grpc.aio.server(options=options, compression=compression)
    server.add_generic_rpc_handlers((handler(),))
    if arguments.tls_cert:
        def read(path):
            with open(path, "rb") as file:
                return file.read()

        client_ca = read(arguments.client_ca) if arguments.client_ca else None
        credentials = grpc.ssl_server_credentials(
            [(read(arguments.tls_key), read(arguments.tls_cert))], root_certificates=client_ca, require_client_auth=client_ca is not None
        )
        port = server.add_secure_port("127.0.0.1:0", credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await server.stop(None)


if __name__ == "__main__":
    asyncio.run(main())
