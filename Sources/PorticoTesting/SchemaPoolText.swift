import Foundation
import PorticoSchema

/// A `SchemaPool` as canonical text, one line per file, message, field, oneof, enum value and method,
/// sorted by name: the same text `Tests/Fixtures/python/descriptor_canonical.py` prints for a
/// `FileDescriptorSet` made by `protoc`, so the two sources can be compared line by line.
package enum SchemaPoolText {
    /// The text of the declarations of `files` (every file when `nil`).
    package static func render(_ pool: SchemaPool, files: Set<String>? = nil) -> String {
        var blocks: [(key: String, lines: [String])] = []
        func wanted(_ file: String) -> Bool { files?.contains(file) ?? true }
        for file in pool.files.values where wanted(file.name) {
            blocks.append(("\(file.name) file", [
                "file \(file.name) package=\(file.package) syntax=\(file.syntax.rawValue) deps=\(list(file.dependencies))",
            ]))
        }
        for message in pool.messages.values where wanted(message.file) {
            let reserved = list(message.reservedRanges.map { "\($0.start)-\($0.end)" })
            let oneofs = list(message.oneofs.map { $0.name + ($0.isSynthetic ? "*" : "") })
            var lines = ["message \(message.fullName) file=\(message.file) map_entry=\(message.isMapEntry) deprecated=\(message.isDeprecated) reserved=\(reserved) reserved_names=\(list(message.reservedNames)) oneofs=\(oneofs)"]
            for (index, field) in message.fields.enumerated() {
                lines.append("  \(ordinal(index)) field \(field.name) number=\(field.number) label=\(field.label) type=\(field.type.rawValue) type_name=\(optional(field.typeName)) json=\(field.jsonName) oneof=\(optional(field.oneofIndex)) proto3_optional=\(field.isProto3Optional) default=\(optional(field.defaultValue)) packed=\(optional(field.packedOption)) deprecated=\(field.isDeprecated)")
            }
            blocks.append(("\(message.fullName) message", lines))
        }
        for value in pool.enums.values where wanted(value.file) {
            var lines = ["enum \(value.fullName) file=\(value.file) allow_alias=\(value.allowAlias) deprecated=\(value.isDeprecated)"]
            for (index, item) in value.values.enumerated() {
                lines.append("  \(ordinal(index)) value \(item.name) number=\(item.number) deprecated=\(item.isDeprecated)")
            }
            blocks.append(("\(value.fullName) enum", lines))
        }
        for service in pool.services.values where wanted(service.file) {
            var lines = ["service \(service.fullName) file=\(service.file)"]
            for (index, method) in service.methods.enumerated() {
                let rule = method.httpRule.map(text(of:)) ?? "none"
                lines.append("  \(ordinal(index)) method \(method.name) in=\(method.inputType) out=\(method.outputType) client_streaming=\(method.clientStreaming) server_streaming=\(method.serverStreaming) deprecated=\(method.isDeprecated) http=\(rule)")
            }
            blocks.append(("\(service.fullName) service", lines))
        }
        return blocks.sorted { $0.key < $1.key }.flatMap(\.lines).joined(separator: "\n") + "\n"
    }

    /// The first line where two renderings differ, with the declaration it belongs to; `nil` when equal.
    package static func firstDifference(expected: String, actual: String) -> String? {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let wanted = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
            guard wanted != got else { continue }
            let owner = expectedLines[..<min(index, expectedLines.count)].last { !$0.hasPrefix("  ") } ?? ""
            return "in: \(owner)\nexpected: \(wanted)\nactual:   \(got)"
        }
        return nil
    }

    private static func text(of rule: HttpRule) -> String {
        var text: String
        switch rule.pattern {
        case .custom(let kind, let path)?: text = "custom(\(kind) \(path))"
        case let pattern?: text = "\(pattern.method.lowercased())(\(pattern.path))"
        case nil: text = "none"
        }
        text += " selector=\(rule.selector) body=\(rule.body) response_body=\(rule.responseBody)"
        return text + " additional=" + list(rule.additionalBindings.map(text(of:)))
    }

    private static func list(_ values: [String]) -> String {
        "[" + values.joined(separator: ",") + "]"
    }

    private static func ordinal(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    private static func optional<Value>(_ value: Value?) -> String {
        guard let value else { return "-" }
        return "\(value)".replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
