"""Python protobuf (upb) as the independent peer of Portico's wire codec tests.

Messages travel between Swift and Python as JSON lines: the encoding as hex, and the value in a canonical
JSON form that is exact (64-bit integers as decimal strings, floats as the hex of their IEEE bits, bytes as
hex, map keys as strings). Commands:

  generate SET COUNT SEED TYPE...   COUNT random messages per TYPE: {"type", "hex", "value"} per line
  check SET                         stdin lines {"type", "hex", "expect"}: parse "hex", compare with "expect"
  evolve SET COUNT SEED TYPE        random messages of the newer schema: {"type", "hex"} per line
  same SET                          stdin lines {"type", "a", "b"}: are the two encodings equal messages?

SET is a FileDescriptorSet file (protoc --include_imports --descriptor_set_out).
"""

import json
import random
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD

SIXTY_FOUR = {FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_SINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64}
STRINGS = ["", "a", "hello", "héllo wörld", "日本語", "emoji 😀🎉", "nul\x00inside", "\x00", "tab\tnew\nline",
           "quote\"back\\slash", "x" * 40, "\u2028\u2029", "\U0010FFFF"]
INT_RANGES = {
    FD.TYPE_INT32: (-2**31, 2**31 - 1), FD.TYPE_SINT32: (-2**31, 2**31 - 1), FD.TYPE_SFIXED32: (-2**31, 2**31 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1), FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_INT64: (-2**63, 2**63 - 1), FD.TYPE_SINT64: (-2**63, 2**63 - 1), FD.TYPE_SFIXED64: (-2**63, 2**63 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1), FD.TYPE_FIXED64: (0, 2**64 - 1),
}


def load_pool(path):
    data = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as handle:
        data.ParseFromString(handle.read())
    pool = descriptor_pool.DescriptorPool()
    for file in data.file:
        pool.Add(file)
    return pool


def message_class(pool, name):
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def is_map(field):
    return field.type == FD.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def is_repeated(field):
    return field.is_repeated


# ---------------------------------------------------------------------------------------------- random values

def random_int(rng, kind):
    low, high = INT_RANGES[kind]
    choice = rng.random()
    if choice < 0.2:
        return rng.choice([low, high, 0, 1, -1 if low < 0 else 2])
    if choice < 0.6:
        return max(low, min(high, rng.randint(-300, 300)))
    return rng.randint(low, high)


def random_float(rng, single, allow_negative_zero):
    specials = [0.0, 1.0, -1.5, float("inf"), float("-inf"), float("nan"), 1e-30, 3.4e38, 5e-324, 1.7e308]
    if allow_negative_zero:
        specials.append(-0.0)
    if rng.random() < 0.3:
        value = rng.choice(specials)
    else:
        bits = rng.getrandbits(32 if single else 64)
        value = struct.unpack("<f" if single else "<d", struct.pack("<I" if single else "<Q", bits))[0]
    if single and value == value and abs(value) != float("inf") and abs(value) > 3.4e38:
        value = 1.0
    return value


def random_scalar(rng, field, implicit):
    kind = field.type
    if kind in INT_RANGES:
        return random_int(rng, kind)
    if kind in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
        return random_float(rng, kind == FD.TYPE_FLOAT, not implicit)
    if kind == FD.TYPE_BOOL:
        return rng.random() < 0.5
    if kind == FD.TYPE_STRING:
        return rng.choice(STRINGS) if rng.random() < 0.7 else "".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(0, 12)))
    if kind == FD.TYPE_BYTES:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 20)))
    if kind == FD.TYPE_ENUM:
        values = [value.number for value in field.enum_type.values]
        return rng.choice(values if field.enum_type.is_closed else values + [values[0], 99, -5])
    raise ValueError(kind)


def fill(rng, message, depth):
    descriptor = message.DESCRIPTOR
    chosen_oneofs = {oneof.name: rng.choice(oneof.fields) for oneof in descriptor.oneofs}
    for field in descriptor.fields:
        required = field.is_required
        if field.containing_oneof is not None and chosen_oneofs[field.containing_oneof.name] is not field:
            continue
        if not required and rng.random() < 0.35:
            continue
        if field.type == FD.TYPE_MESSAGE and depth >= 3 and not required:
            continue
        if is_map(field):
            entry = field.message_type
            key_field, value_field = entry.fields_by_name["key"], entry.fields_by_name["value"]
            target = getattr(message, field.name)
            for _ in range(rng.randint(0, 4)):
                key = random_scalar(rng, key_field, False)
                if value_field.type == FD.TYPE_MESSAGE:
                    fill(rng, target[key], depth + 1)
                else:
                    target[key] = random_scalar(rng, value_field, False)
        elif is_repeated(field):
            target = getattr(message, field.name)
            for _ in range(rng.randint(0, 5)):
                if field.type == FD.TYPE_MESSAGE:
                    fill(rng, target.add(), depth + 1)
                else:
                    target.append(random_scalar(rng, field, False))
        elif field.type == FD.TYPE_MESSAGE:
            getattr(message, field.name).SetInParent()
            fill(rng, getattr(message, field.name), depth + 1)
        else:
            setattr(message, field.name, random_scalar(rng, field, not field.has_presence))


# ---------------------------------------------------------------------------------------------- canonical form

def canonical_scalar(field, value):
    kind = field.type
    if kind in SIXTY_FOUR:
        return str(value)
    if kind == FD.TYPE_FLOAT:
        return "%08x" % struct.unpack("<I", struct.pack("<f", value))[0]
    if kind == FD.TYPE_DOUBLE:
        return "%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]
    if kind == FD.TYPE_BYTES:
        return value.hex()
    return value


def canonical_key(field, value):
    if field.type == FD.TYPE_BOOL:
        return "true" if value else "false"
    return str(value)


def canonical(message):
    result = {}
    for field, value in message.ListFields():
        if is_map(field):
            entry = field.message_type
            key_field, value_field = entry.fields_by_name["key"], entry.fields_by_name["value"]
            result[field.name] = {
                canonical_key(key_field, key): canonical(item) if value_field.type == FD.TYPE_MESSAGE
                else canonical_scalar(value_field, item)
                for key, item in value.items()
            }
        elif is_repeated(field):
            result[field.name] = [canonical(item) if field.type == FD.TYPE_MESSAGE else canonical_scalar(field, item)
                                  for item in value]
        elif field.type == FD.TYPE_MESSAGE:
            result[field.name] = canonical(value)
        else:
            result[field.name] = canonical_scalar(field, value)
    return result


# ---------------------------------------------------------------------------------------------- commands

def generate(pool, count, seed, types, with_value=True):
    rng = random.Random(seed)
    for name in types:
        cls = message_class(pool, name)
        for _ in range(count):
            message = cls()
            fill(rng, message, 0)
            line = {"type": name, "hex": message.SerializeToString(deterministic=True).hex()}
            if with_value:
                line["value"] = canonical(message)
            print(json.dumps(line, ensure_ascii=True))


def check(pool):
    checked, failures = 0, []
    for line in sys.stdin:
        item = json.loads(line)
        cls = message_class(pool, item["type"])
        message = cls()
        try:
            message.ParseFromString(bytes.fromhex(item["hex"]))
        except Exception as error:  # noqa: BLE001 - report every parse failure
            failures.append({"type": item["type"], "error": str(error), "hex": item["hex"]})
            continue
        if canonical(message) != item["expect"]:
            failures.append({"type": item["type"], "got": canonical(message), "expect": item["expect"]})
        checked += 1
    print(json.dumps({"checked": checked, "failures": failures[:5], "failureCount": len(failures)}))


def same(pool):
    checked, failures = 0, []
    for line in sys.stdin:
        item = json.loads(line)
        cls = message_class(pool, item["type"])
        first, second = cls(), cls()
        first.ParseFromString(bytes.fromhex(item["a"]))
        second.ParseFromString(bytes.fromhex(item["b"]))
        if canonical(first) != canonical(second) or \
                first.SerializeToString(deterministic=True) != second.SerializeToString(deterministic=True):
            failures.append({"a": canonical(first), "b": canonical(second)})
        checked += 1
    print(json.dumps({"checked": checked, "failures": failures[:5], "failureCount": len(failures)}))


def main(argv):
    command, pool = argv[1], load_pool(argv[2])
    if command == "generate":
        generate(pool, int(argv[3]), int(argv[4]), argv[5:])
    elif command == "evolve":
        generate(pool, int(argv[3]), int(argv[4]), argv[5:], with_value=False)
    elif command == "check":
        check(pool)
    elif command == "same":
        same(pool)
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
