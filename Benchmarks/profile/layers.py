#!/usr/bin/env python3
"""Where a `perf record -g` profile of the gateway goes, by layer, or which call sites allocate.

    perf script -i /tmp/portico-profile/perf.data > /tmp/portico-profile/script.txt
    Benchmarks/profile/layers.py /tmp/portico-profile/script.txt            # CPU by layer
    Benchmarks/profile/layers.py --sites 3 /tmp/portico-profile/script.txt  # allocation sites (malloc probe)

By layer, each sample goes to the innermost frame that matches one of LAYERS (first match in this order),
so a layer's share is the time spent in it and in what it calls that no inner layer claims. With --sites N,
each sample (a malloc) is keyed by its N innermost frames outside the Swift runtime and libc, demangled.
"""
import argparse
import collections
import re
import subprocess

LAYERS = [
    ("kernel: writev to clients", r"do_writev|__GI___writev"),
    ("kernel: write to backends", r"ksys_write|__GI___libc_write"),
    ("kernel: read", r"ksys_read|__GI___libc_read"),
    ("kernel: epoll", r"epoll_wait|do_epoll"),
    ("kernel: other", r"entry_SYSCALL|asm_"),
    ("NIO HTTP/1 encoder and handlers", r"HTTPResponseEncoder|NIOHTTPResponseHeadersValidator|ProtocolErrorHandler|HTTPServerPipelineHandler|PipeliningDepthHandler|RequestTimeoutHandler"),
    ("NIO HTTP/1 parser", r"llhttp|HTTPDecoder|BetterHTTPParser|ByteToMessageHandler"),
    ("response transcoding (JSON)", r"ResponseTranscoding|JSONMessagePrinter|responseJSON"),
    ("request transcoding", r"RequestTranscoding|JSONFieldBinder|JSONMessageParser"),
    ("route match", r"RouteMatch"),
    ("nghttp2", r"nghttp2_|NGHTTP2Session"),
    ("gRPC client and pool", r"GRPCClient|GRPCConnectionPool|GRPCResponseAssembler|HTTP2ConnectionDriver|GRPCRequestHead|GRPCMetadata|CallDeadlineTimer"),
    ("answer, metrics, access log", r"GatewayPipeline.*(finish|respond|record|decorate)|AccessRecord|RouteMetrics|Prometheus|Histogram"),
    ("request stages and backend call", r"Stage|GatewayPipeline|UnaryBackendCall|BackendGuard|BackendCluster|RequestContext|Exchange|MetadataForwarder"),
    ("listener (HTTPGatewayHandler)", r"HTTPGatewayHandler"),
    ("NIO core (channels, futures, buffers)", r"NIOCore|NIOPosix|SelectableEventLoop|BaseSocketChannel|ChannelHandlerContext|ChannelPipeline|EventLoopFuture|EventLoopPromise|CallbackList|ByteBuffer"),
]
RUNTIME = ("libswiftCore", "libc.so", "ld-linux", "[kernel", "libswift_")
# The runtime's own functions, for a binary that links it in (`make release`).
RUNTIME_SYMBOL = re.compile(r"^(swift_|_swift|__swift|swift::|\$ss(10_allocate|[0-9]+_?allocate|22_ContiguousArrayBuffer|12_ArrayBuffer|27_allocateUninitializedArray))")


def samples(path):
    frames = []
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if frames:
                    yield frames
                frames = []
            elif line[0] in "\t ":
                match = re.match(r"\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$", line)
                if match:
                    frames.append((re.sub(r"\+0x[0-9a-f]+$", "", match.group(1)), match.group(2)))
    if frames:
        yield frames


def demangle(names):
    return subprocess.run(["swift-demangle", "--simplified", "--compact"], input="\n".join(names),
                          capture_output=True, text=True).stdout.split("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("script", help="`perf script` output")
    parser.add_argument("--sites", type=int, help="allocation sites keyed by this many frames")
    arguments = parser.parse_args()
    counts = collections.Counter()
    total = 0
    layers = [(name, re.compile(pattern)) for name, pattern in LAYERS]
    for frames in samples(arguments.script):
        total += 1
        if arguments.sites:
            own = [symbol for symbol, dso in frames if not any(part in dso for part in RUNTIME) and not RUNTIME_SYMBOL.match(symbol)]
            counts[" <- ".join(own[:arguments.sites])] += 1
            continue
        counts[next((name for symbol, _ in frames for name, pattern in layers if pattern.search(symbol)), "other (Swift runtime, libc)")] += 1
    top = counts.most_common(40)
    names = demangle([key for key, _ in top]) if arguments.sites else [key for key, _ in top]
    for (_, count), name in zip(top, names):
        print(f"{100 * count / max(total, 1):5.1f}%  {name[:200]}")


if __name__ == "__main__":
    main()
