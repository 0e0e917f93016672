"""Differential reference for Portico's JSON codec: Python protobuf's json_format (upb).

  json_differential.py generate SEED COUNT DESCRIPTOR_SET
      Prints one JSON object per line: {"message", "options", "binary" (base64), "json"} for COUNT random
      messages of the fixture schema (jsontest.*), made deterministically from SEED.
  json_differential.py compare DESCRIPTOR_SET  < records
      Reads records {"message", "options", "binary", "json", "swift_json", "swift_binary"} and checks, for
      each, that Portico's JSON equals json_format's (as parsed JSON) and that Portico's binary, parsed
      by Python, equals the original message. Prints {"checked": N, "failures": [...]}.
"""
import base64
import decimal
import json
import math
import random
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD

ROOTS = ["jsontest.Everything", "jsontest.Scalars", "jsontest.Repeats", "jsontest.Maps", "jsontest.WellKnown"]
OPTION_SETS = [
    {},
    {"emitUnpopulatedFields": True},
    {"useProtoFieldNames": True},
    {"enumsAsNumbers": True},
]


def load_pool(path):
    with open(path, "rb") as handle:
        files = descriptor_pb2.FileDescriptorSet.FromString(handle.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return pool


def message_class(pool, name):
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


class Generator:
    """Random messages. Two known differences are kept out: an implicit (proto3 singular) float or double
    field is never -0.0, which protobuf-c's pack treats as zero and drops; and google.protobuf.NullValue is
    not set when enums print as numbers, where json_format writes 0 instead of the mapping's null."""

    def __init__(self, pool, seed):
        self.pool = pool
        self.rng = random.Random(seed)
        self.enums_as_numbers = False

    def chance(self, p):
        return self.rng.random() < p

    def int_value(self, bits, signed):
        edges = [0, 1, 2, 127, 128, 255, 300, 65535]
        if signed:
            edges += [-1, -128, -(1 << (bits - 1)), (1 << (bits - 1)) - 1]
            low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            edges += [(1 << bits) - 1, 1 << (bits - 1)]
            low, high = 0, (1 << bits) - 1
        if self.chance(0.4):
            return self.rng.choice(edges)
        return self.rng.randint(low, high)

    def double_value(self):
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice([float("nan"), float("inf"), float("-inf")])
        if r < 0.2:
            return self.rng.choice([0.0, -0.0, 0.1, 1.0, -1.5, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456.789])
        if r < 0.5:
            return struct.unpack("<d", struct.pack("<Q", self.rng.getrandbits(64)))[0] if self.chance(0.5) else self.rng.uniform(-1e6, 1e6)
        return self.rng.randint(-10**6, 10**6) / self.rng.choice([1, 10, 1000, 7])

    def float_value(self):
        value = self.double_value()
        if math.isnan(value) or math.isinf(value):
            return value
        if abs(value) > 3.4e38:
            value = 3.4e38 if value > 0 else -3.4e38
        return struct.unpack("<f", struct.pack("<f", value))[0]

    def string_value(self):
        alphabet = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "€", "😀", "\u2028", "<", "&"]
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 12)))

    def bytes_value(self):
        return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 10)))

    def scalar(self, field):
        t = field.type
        if t in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
            return self.int_value(32, True)
        if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
            return self.int_value(64, True)
        if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
            return self.int_value(32, False)
        if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
            return self.int_value(64, False)
        if t == FD.TYPE_DOUBLE:
            return self.double_value()
        if t == FD.TYPE_FLOAT:
            return self.float_value()
        if t == FD.TYPE_BOOL:
            return self.chance(0.5)
        if t == FD.TYPE_STRING:
            return self.string_value()
        if t == FD.TYPE_BYTES:
            return self.bytes_value()
        if t == FD.TYPE_ENUM:
            if field.enum_type.full_name == "google.protobuf.NullValue":
                return 0
            if self.chance(0.15):
                return self.rng.choice([7, -100, 2147483647])
            return self.rng.choice(list(field.enum_type.values)).number
        raise ValueError(field.full_name)

    def json_tree(self, depth):
        kinds = ["null", "number", "string", "bool"] + (["object", "list"] if depth < 3 else [])
        kind = self.rng.choice(kinds)
        if kind == "null":
            return None
        if kind == "number":
            value = self.double_value()
            return value if math.isfinite(value) else 0.5
        if kind == "string":
            return self.string_value()
        if kind == "bool":
            return self.chance(0.5)
        if kind == "object":
            return {self.string_value(): self.json_tree(depth + 1) for _ in range(self.rng.randint(0, 3))}
        return [self.json_tree(depth + 1) for _ in range(self.rng.randint(0, 3))]

    def fill_well_known(self, message, depth):
        name = message.DESCRIPTOR.full_name
        if name == "google.protobuf.Timestamp":
            message.seconds = self.rng.randint(-62135596800, 253402300799)
            message.nanos = self.rng.choice([0, 21000000, 21000, 21, self.rng.randint(0, 999999999)])
        elif name == "google.protobuf.Duration":
            seconds = self.rng.randint(-315576000000, 315576000000)
            nanos = self.rng.choice([0, 500000000, 1000, self.rng.randint(0, 999999999)])
            message.seconds = seconds
            message.nanos = -nanos if seconds < 0 else nanos
        elif name == "google.protobuf.FieldMask":
            words = ["a", "foo_bar", "b1", "x.y_z", "user.display_name"]
            message.paths.extend(self.rng.choice(words) for _ in range(self.rng.randint(0, 3)))
        elif name == "google.protobuf.Struct":
            message.update({self.string_value(): self.json_tree(depth) for _ in range(self.rng.randint(0, 3))})
        elif name == "google.protobuf.ListValue":
            message.extend([self.json_tree(depth) for _ in range(self.rng.randint(0, 3))])
        elif name == "google.protobuf.Value":
            json_format.ParseDict(self.json_tree(depth), message)
        elif name == "google.protobuf.Any":
            inner_name = self.rng.choice(["jsontest.Item", "google.protobuf.Duration", "google.protobuf.Int32Value",
                                          "google.protobuf.Value", "google.protobuf.Empty", "google.protobuf.Timestamp"])
            inner = message_class(self.pool, inner_name)()
            self.fill(inner, depth + 1)
            message.Pack(inner)
        elif name.endswith("Value") and name.startswith("google.protobuf."):
            value = self.scalar(message.DESCRIPTOR.fields_by_name["value"])
            message.value = 0.0 if isinstance(value, float) and value == 0 else value
        elif name == "google.protobuf.Empty":
            pass
        else:
            return False
        return True

    def fill(self, message, depth=0):
        if self.fill_well_known(message, depth):
            return
        descriptor = message.DESCRIPTOR
        chosen_oneofs = {}
        for oneof in descriptor.oneofs:
            if not oneof.name.startswith("_"):
                chosen_oneofs[oneof.name] = self.rng.choice(list(oneof.fields) + [None])
        for field in descriptor.fields:
            oneof = field.containing_oneof
            if oneof is not None and not oneof.name.startswith("_"):
                if chosen_oneofs[oneof.name] is not field:
                    continue
            if self.enums_as_numbers and field.enum_type is not None and field.enum_type.full_name == "google.protobuf.NullValue":
                continue
            elif not self.chance(0.6):
                continue
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                key_field = field.message_type.fields_by_name["key"]
                value_field = field.message_type.fields_by_name["value"]
                target = getattr(message, field.name)
                for _ in range(self.rng.randint(0, 3)):
                    key = self.scalar(key_field)
                    if value_field.message_type is not None:
                        if depth < 3:
                            self.fill(target[key], depth + 1)
                    else:
                        target[key] = self.scalar(value_field)
            elif field.is_repeated:
                target = getattr(message, field.name)
                for _ in range(self.rng.randint(0, 3)):
                    if field.message_type is not None:
                        if depth < 3:
                            self.fill(target.add(), depth + 1)
                    else:
                        target.append(self.scalar(field))
            elif field.message_type is not None:
                if depth < 3:
                    self.fill(getattr(message, field.name), depth + 1)
            else:
                value = self.scalar(field)
                if isinstance(value, float) and value == 0 and field.containing_oneof is None:
                    value = 0.0
                setattr(message, field.name, value)


def python_options(options):
    return {
        "preserving_proto_field_name": options.get("useProtoFieldNames", False),
        "use_integers_for_enums": options.get("enumsAsNumbers", False),
        "always_print_fields_with_no_presence": options.get("emitUnpopulatedFields", False),
    }


def generate(seed, count, path):
    pool = load_pool(path)
    generator = Generator(pool, seed)
    for index in range(count):
        name = ROOTS[index % len(ROOTS)]
        options = OPTION_SETS[(index // len(ROOTS)) % len(OPTION_SETS)]
        message = message_class(pool, name)()
        generator.enums_as_numbers = options.get("enumsAsNumbers", False)
        generator.fill(message)
        text = json_format.MessageToJson(message, indent=None, descriptor_pool=pool, ensure_ascii=False,
                                         **python_options(options))
        print(json.dumps({
            "message": name,
            "options": options,
            "binary": base64.b64encode(message.SerializeToString(deterministic=True)).decode(),
            "json": text,
        }))


def exact_json(text):
    """Parsed JSON with every number as a Decimal, so 5.313273e+20 equals 531327300000000000000 exactly."""
    return json.loads(text, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


def same_message(a, b, pool):
    """Equal bytes, or (when an Any packs its content in another order) the same canonical JSON."""
    if a.SerializeToString(deterministic=True) == b.SerializeToString(deterministic=True):
        return True
    def canonical(message):
        return json_format.MessageToJson(message, sort_keys=True, descriptor_pool=pool, preserving_proto_field_name=True)
    return canonical(a) == canonical(b)


def compare(path):
    pool = load_pool(path)
    checked = 0
    failures = []
    for line in sys.stdin:
        record = json.loads(line)
        checked += 1
        cls = message_class(pool, record["message"])
        original = cls.FromString(base64.b64decode(record["binary"]))
        problems = []
        if exact_json(record["swift_json"]) != exact_json(record["json"]):
            problems.append("json differs")
        swift = cls.FromString(base64.b64decode(record["swift_binary"]))
        if not same_message(swift, original, pool):
            problems.append("binary differs after parsing")
        python_parsed = cls()
        json_format.Parse(record["json"], python_parsed, descriptor_pool=pool)
        if not same_message(python_parsed, original, pool):
            problems.append("python does not round-trip its own JSON")
        if problems and len(failures) < 10:
            failures.append({"message": record["message"], "options": record["options"], "problems": problems,
                             "python_json": record["json"], "swift_json": record["swift_json"]})
        elif problems:
            failures.append({"problems": problems})
    print(json.dumps({"checked": checked, "failures": failures}))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        compare(sys.argv[2])
