"""An OTLP/gRPC trace receiver (opentelemetry-proto's TraceService) for Portico's tracing tests.

It binds 127.0.0.1 on a free port, prints the port on stdout (the readiness signal), and appends each span
it receives as one JSON line to the file named by the first argument: name, kind, trace_id, span_id,
parent_span_id (hex), status code, attributes and event names.
"""

import asyncio
import json
import sys

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


def attribute_value(value):
    which = value.WhichOneof("value")
    return getattr(value, which) if which else None


class Receiver(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, path):
        self.path = path

    async def Export(self, request, context):
        with open(self.path, "a", encoding="utf-8") as out:
            for resource_spans in request.resource_spans:
                resource = {a.key: attribute_value(a.value) for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        out.write(json.dumps({
                            "name": span.name,
                            "kind": span.kind,
                            "trace_id": span.trace_id.hex(),
                            "span_id": span.span_id.hex(),
                            "parent_span_id": span.parent_span_id.hex(),
                            "status": span.status.code,
                            "attributes": {a.key: attribute_value(a.value) for a in span.attributes},
                            "events": [event.name for event in span.events],
                            "service_name": resource.get("service.name"),
                        }) + "\n")
        return trace_service_pb2.ExportTraceServiceResponse()


async def main():
    server = grpc.aio.server()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Receiver(sys.argv[1]), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.stop(None)


if __name__ == "__main__":
    asyncio.run(main())
