"""Times Python protobuf (upb) on the wire benchmark messages and writes their encodings for the Swift side.

Usage: time_upb.py OUT_DIR [wall|cpu]
Writes OUT_DIR/{small,medium,large}.bin (deterministic encodings) and prints, per message, the best mean
time per operation over several repeats of ParseFromString and SerializeToString, by the wall clock or
(`cpu`) by the thread's CPU clock, which does not count time spent descheduled on a shared machine.
"""

import os
import subprocess
import sys
import tempfile
import time
import timeit

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.path.join(HERE, "..", "Protos")


def load_classes():
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "bench.binpb")
        subprocess.run(["protoc", "-I" + PROTOS, "--include_imports", "--descriptor_set_out=" + out,
                        "bench/v1/bench.proto"], check=True)
        data = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as handle:
            data.ParseFromString(handle.read())
    pool = descriptor_pool.DescriptorPool()
    for file in data.file:
        pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName("bench.v1." + name))
            for name in ("Order", "OrderList", "Blob")}


def fill_order(order, index):
    order.order_id = "ord-%06d" % index
    order.user_id = "usr-%04d" % (index % 97)
    order.user_name = "Ada Lovelace %d" % index
    for item_index in range(2):
        item = order.items.add()
        item.product_id = "prod-%05d" % (index * 3 + item_index)
        item.quantity = item_index + 1
        item.unit_price.currency_code = "EUR"
        item.unit_price.units = 12 + item_index
        item.unit_price.nanos = 500000000
    order.status = 2
    order.total.currency_code = "EUR"
    order.total.units = 37
    order.created_at_seconds = 1_790_000_000 + index
    order.note = "leave at the door"
    order.labels["channel"] = "web"
    order.labels["region"] = "eu-west"


def build(classes):
    small = classes["Order"]()
    fill_order(small, 1)
    medium = classes["OrderList"]()
    for index in range(20):
        fill_order(medium.orders.add(), index)
    medium.next_page_token = "page-2"
    large = classes["Blob"]()
    large.name = "firmware.bin"
    large.data = bytes((i * 131) & 0xFF for i in range(1 << 20))
    return {"small": small, "medium": medium, "large": large}


def best_per_op(statement, number, timer):
    return min(timeit.repeat(statement, number=number, repeat=7, timer=timer)) / number


def main(out_dir, clock="wall"):
    timer = time.thread_time if clock == "cpu" else time.perf_counter
    os.makedirs(out_dir, exist_ok=True)
    classes = load_classes()
    messages = build(classes)
    print("%-7s %9s %14s %14s" % ("message", "bytes", "parse (us)", "serialize (us)"))
    for name, message in messages.items():
        data = message.SerializeToString(deterministic=True)
        with open(os.path.join(out_dir, name + ".bin"), "wb") as handle:
            handle.write(data)
        cls = type(message)
        number = 200 if name == "large" else 20000
        parse = best_per_op(lambda: cls().ParseFromString(data), number, timer)
        serialize = best_per_op(message.SerializeToString, number, timer)
        print("%-7s %9d %14.3f %14.3f" % (name, len(data), parse * 1e6, serialize * 1e6))


if __name__ == "__main__":
    main(*sys.argv[1:3])
