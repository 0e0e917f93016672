"""A grpcio backend serving probe.v1.ProbeService/Echo for Portico's tracing tests.

Echo answers an EchoReply whose `metadata` map (field 1, map<string, string>) holds the call's text
metadata, so a test sees what the gateway sent, `traceparent` included. No generated code: the reply is
encoded by hand. It binds 127.0.0.1 on a free port, prints the port on stdout (the readiness signal) and
serves until stdin closes.
"""

import asyncio
import sys

import grpc


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_delimited(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


async def echo(request, context):
    reply = b""
    for key, value in context.invocation_metadata():
        if isinstance(value, str):
            entry = length_delimited(1, key.encode()) + length_delimited(2, value.encode())
            reply += length_delimited(1, entry)
    return reply


async def main():
    server = grpc.aio.server()
    handler = grpc.method_handlers_generic_handler(
        "probe.v1.ProbeService",
        {"Echo": grpc.unary_unary_rpc_method_handler(echo, request_deserializer=None, response_serializer=None)},
    )
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.stop(None)


if __name__ == "__main__":
    asyncio.run(main())
