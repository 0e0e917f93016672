"""A server-streaming backend for Portico's streaming tests, on grpcio (stream.v1.StreamService).

Ticks sends `count` ticks `interval_millis` apart, each padded with `payload_bytes`, and fails with
`fail_code` after `fail_after` ticks when a code is given. A `gated` call sends its first tick at once and
each next one only after a Release call, so a test can prove a tick reached the client while the stream
was still open without timing anything. Stats reports the ticks sent, the calls the client cancelled (seen
as the handler's cancellation), the calls running and the items Collect has read. Collect (client-streaming) counts and sums the items
it receives; Double (bidirectional) answers each item with its value doubled. No generated code: messages are encoded by hand.

Usage: stream_server.py [PORT]; prints the bound port on stdout (the readiness signal) and serves until
killed.
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


def read_varint(data, index):
    shift = result = 0
    while True:
        byte = data[index]
        index += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, index


def scalar_fields(data):
    """The varint and length-delimited fields of a message, by number (other wire types are skipped)."""
    fields, index = {}, 0
    while index < len(data):
        key, index = read_varint(data, index)
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields[number], index = read_varint(data, index)
        elif wire == 2:
            length, index = read_varint(data, index)
            fields[number] = data[index:index + length]
            index += length
        elif wire == 1:
            index += 8
        elif wire == 5:
            index += 4
    return fields


def tick(seq, payload, last_event_id):
    out = b""
    if seq:
        out += varint(1 << 3) + varint(seq)
    if payload:
        out += varint(2 << 3 | 2) + varint(len(payload)) + payload
    if last_event_id:
        encoded = last_event_id.encode()
        out += varint(3 << 3 | 2) + varint(len(encoded)) + encoded
    return out


class Streams:
    def __init__(self):
        self.sent = 0
        self.cancelled = 0
        self.active = 0
        self.items = 0
        self.gates = set()

    async def ticks(self, request, context):
        fields = scalar_fields(request)
        count = fields.get(1, 0)
        interval = fields.get(2, 0) / 1000
        payload = b"x" * fields.get(3, 0)
        fail_code, fail_after = fields.get(4, 0), fields.get(5, 0)
        gate = asyncio.Queue() if fields.get(6, 0) else None
        last_event_id = dict(context.invocation_metadata()).get("last-event-id", "")
        self.active += 1
        if gate is not None:
            self.gates.add(gate)
        try:
            for seq in range(count):
                if fail_code and seq == fail_after:
                    break
                if seq > 0:
                    if gate is not None:
                        await gate.get()
                    elif interval:
                        await asyncio.sleep(interval)
                yield tick(seq + 1, payload, last_event_id)
                self.sent += 1
            if fail_code:
                await context.abort(grpc.StatusCode(next(c for c in grpc.StatusCode if c.value[0] == fail_code)), "tick failure")
        except (asyncio.CancelledError, GeneratorExit):
            # Cancelled while waiting (CancelledError) or while grpcio was writing the last tick (the
            # generator is then closed at its yield).
            self.cancelled += 1
            raise
        finally:
            self.active -= 1
            if gate is not None:
                self.gates.discard(gate)

    async def collect(self, requests, context):
        count = total = 0
        tags = set()
        async for item in requests:
            fields = scalar_fields(item)
            self.items += 1
            count += 1
            total += fields.get(1, 0)
            tags.add(bytes(fields.get(2, b"")))
        out = varint(1 << 3) + varint(count) + varint(2 << 3) + varint(total)
        for tag in sorted(tags):
            out += varint(3 << 3 | 2) + varint(len(tag)) + tag
        return out

    async def double(self, requests, context):
        async for item in requests:
            yield varint(1 << 3) + varint(2 * scalar_fields(item).get(1, 0))

    async def release(self, request, context):
        for gate in self.gates:
            gate.put_nowait(None)
        return b""

    async def stats(self, request, context):
        return (varint(1 << 3) + varint(self.sent) + varint(2 << 3) + varint(self.cancelled) + varint(3 << 3) + varint(self.active)
                + varint(4 << 3) + varint(self.items))


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    streams = Streams()
    server = grpc.aio.server()
    raw = dict(request_deserializer=None, response_serializer=None)
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler("stream.v1.StreamService", {
            "Ticks": grpc.unary_stream_rpc_method_handler(streams.ticks, **raw),
            "Collect": grpc.stream_unary_rpc_method_handler(streams.collect, **raw),
            "Double": grpc.stream_stream_rpc_method_handler(streams.double, **raw),
            "Release": grpc.unary_unary_rpc_method_handler(streams.release, **raw),
            "Stats": grpc.unary_unary_rpc_method_handler(streams.stats, **raw),
        }),
    ))
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(bound, flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(main())
