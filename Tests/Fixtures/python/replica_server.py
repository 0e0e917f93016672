"""One replica of a backend for Portico's balancing tests, on grpcio.

It serves probe.v1.ProbeService/Echo, answering an EchoReply whose `metadata` map (field 1) holds
{"replica": NAME}, so a test sees which replica answered, and the standard grpc.health.v1.Health/Check,
answering SERVING or NOT_SERVING. No generated code: messages are encoded by hand. Usage:

    replica_server.py NAME HOST [PORT]

It binds HOST:PORT (a free port when PORT is 0 or absent), prints the port on stdout (the readiness
signal), and then reads commands on stdin: `not_serving` or `serving` switch the health answer (and are
acknowledged with `ok` on stdout once in effect); end of input stops the server.
"""

import asyncio
import sys

import grpc

SERVING = 1
NOT_SERVING = 2


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


class Replica:
    def __init__(self, name):
        self.name = name
        self.status = SERVING

    async def echo(self, request, context):
        entry = length_delimited(1, b"replica") + length_delimited(2, self.name.encode())
        return length_delimited(1, entry)

    async def check(self, request, context):
        return bytes([0x08, self.status])


async def commands(replica):
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        command = line.strip()
        if command == "not_serving":
            replica.status = NOT_SERVING
        elif command == "serving":
            replica.status = SERVING
        print("ok", flush=True)


async def main():
    name, host = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    replica = Replica(name)
    server = grpc.aio.server()
    raw = dict(request_deserializer=None, response_serializer=None)
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler(
            "probe.v1.ProbeService", {"Echo": grpc.unary_unary_rpc_method_handler(replica.echo, **raw)}
        ),
        grpc.method_handlers_generic_handler(
            "grpc.health.v1.Health", {"Check": grpc.unary_unary_rpc_method_handler(replica.check, **raw)}
        ),
    ))
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    print(bound, flush=True)
    await commands(replica)
    await server.stop(None)


if __name__ == "__main__":
    asyncio.run(main())
