"""Prints a FileDescriptorSet (protoc --include_imports --descriptor_set_out) as canonical text.

One line per file, message, field, oneof, enum value and method, sorted by name, holding exactly the
properties Portico's SchemaPool keeps, so the text of a pool built by Portico's .proto parser can be
compared with protoc's. Usage: descriptor_canonical.py SET.binpb [FILE ...] (only the files named).
"""
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

LABELS = {1: "optional", 2: "required", 3: "repeated"}


def b(value):
    return "true" if value else "false"


def opt(value):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return b(value)
    return str(value).replace("\\", "\\\\").replace("\n", "\\n")


def join(values):
    return "[" + ",".join(values) + "]"


def http_rule_text(rule):
    pattern = rule.WhichOneof("pattern")
    if pattern == "custom":
        text = f"custom({rule.custom.kind} {rule.custom.path})"
    elif pattern:
        text = f"{pattern}({getattr(rule, pattern)})"
    else:
        text = "none"
    text += f" selector={rule.selector} body={rule.body} response_body={rule.response_body}"
    return text + " additional=" + join(http_rule_text(binding) for binding in rule.additional_bindings)


def main():
    data = open(sys.argv[1], "rb").read()
    wanted = set(sys.argv[2:])
    fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    http = None
    try:
        http = pool.FindExtensionByName("google.api.http")
        options_class = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.protobuf.MethodOptions"))
    except KeyError:
        pass
    lines = []
    for f in fds.file:
        if wanted and f.name not in wanted:
            continue
        syntax = f.syntax or "proto2"
        lines.append(f"file {f.name} package={f.package} syntax={syntax} deps={join(f.dependency)}")
        prefix = f.package + "." if f.package else ""

        def message(m, scope):
            full = scope + m.name
            reserved = join(f"{r.start}-{r.end}" for r in m.reserved_range)
            oneofs = [o.name + ("*" if any(fl.proto3_optional and fl.oneof_index == i for fl in m.field) else "")
                      for i, o in enumerate(m.oneof_decl)]
            lines.append(f"message {full} file={f.name} map_entry={b(m.options.map_entry)} "
                         f"deprecated={b(m.options.deprecated)} reserved={reserved} "
                         f"reserved_names={join(m.reserved_name)} oneofs={join(oneofs)}")
            for i, fl in enumerate(m.field):
                type_name = fl.type_name[1:] if fl.type_name.startswith(".") else fl.type_name
                oneof = fl.oneof_index if fl.HasField("oneof_index") else None
                default = fl.default_value if fl.HasField("default_value") else None
                packed = fl.options.packed if fl.options.HasField("packed") else None
                lines.append(f"  {i:03d} field {fl.name} number={fl.number} label={LABELS[fl.label]} type={fl.type} "
                             f"type_name={opt(type_name or None)} json={fl.json_name} oneof={opt(oneof)} "
                             f"proto3_optional={b(fl.proto3_optional)} default={opt(default)} packed={opt(packed)} "
                             f"deprecated={b(fl.options.deprecated)}")
            for n in m.nested_type:
                message(n, full + ".")
            for e in m.enum_type:
                enum(e, full + ".")

        def enum(e, scope):
            lines.append(f"enum {scope}{e.name} file={f.name} allow_alias={b(e.options.allow_alias)} "
                         f"deprecated={b(e.options.deprecated)}")
            for i, v in enumerate(e.value):
                lines.append(f"  {i:03d} value {v.name} number={v.number} deprecated={b(v.options.deprecated)}")

        for m in f.message_type:
            message(m, prefix)
        for e in f.enum_type:
            enum(e, prefix)
        for s in f.service:
            lines.append(f"service {prefix}{s.name} file={f.name}")
            for i, md in enumerate(s.method):
                rule = "none"
                if http is not None and md.HasField("options"):
                    options = options_class.FromString(md.options.SerializeToString())
                    if options.HasExtension(http):
                        rule = http_rule_text(options.Extensions[http])
                lines.append(f"  {i:03d} method {md.name} in={md.input_type[1:]} out={md.output_type[1:]} "
                             f"client_streaming={b(md.client_streaming)} server_streaming={b(md.server_streaming)} "
                             f"deprecated={b(md.options.deprecated)} http={rule}")
    blocks = []
    for line in lines:
        if line.startswith("  "):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    for block in sorted(blocks, key=lambda b: b[0].split(" ")[1] + " " + b[0].split(" ")[0]):
        print("\n".join(block))


if __name__ == "__main__":
    main()
