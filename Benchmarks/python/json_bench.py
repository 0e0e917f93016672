"""Python protobuf (upb) json_format timed on the payloads the Swift benchmark wrote, per CPU-second.

usage: json_bench.py <descriptor set> <payload folder> [seconds per measurement]
"""
import os
import sys
import time

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.internal import api_implementation

PAYLOADS = [("small", "jsontest.Item"), ("medium", "jsontest.Everything"), ("large", "jsontest.Everything")]


def measure(body, seconds):
    for _ in range(20):
        body()
    iterations = 0
    start = time.thread_time()
    while True:
        for _ in range(10):
            body()
        iterations += 10
        elapsed = time.thread_time() - start
        if elapsed >= seconds:
            return iterations / elapsed


def main():
    set_path, folder = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    files = descriptor_pb2.FileDescriptorSet.FromString(open(set_path, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    for name, message_name in PAYLOADS:
        cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(message_name))
        text = open(os.path.join(folder, name + ".json"), encoding="utf-8").read()
        binary = open(os.path.join(folder, name + ".binpb"), "rb").read()
        out = json_format.MessageToJson(cls.FromString(binary), indent=None, descriptor_pool=pool)

        def to_protobuf():
            message = cls()
            json_format.Parse(text, message, descriptor_pool=pool)
            message.SerializeToString()

        def to_json():
            json_format.MessageToJson(cls.FromString(binary), indent=None, descriptor_pool=pool)

        a = measure(to_protobuf, seconds)
        b = measure(to_json, seconds)
        size_in = len(text.encode())
        size_out = len(out.encode())
        print("python %-6s json→pb %10.0f msg/s %8.1f MB/s   pb→json %10.0f msg/s %8.1f MB/s   (%s)"
              % (name, a, a * size_in / 1e6, b, b * size_out / 1e6, api_implementation.Type()))


main()
