/// Builds one flat JSON object, for the gateway's own small documents: error bodies and access-log lines.
///
/// It uses the codec's writer, so strings are escaped exactly as in transcoded bodies.
package struct JSONObjectBuilder {
    private var writer = JSONWriter()

    package init() {
        writer.beginObject()
    }

    package mutating func add(_ key: String, _ value: String) {
        writer.key(key)
        writer.string(value)
    }

    package mutating func add(_ key: String, _ value: Int) {
        writer.key(key)
        writer.number(Int64(value))
    }

    package mutating func add(_ key: String, _ value: Double) {
        writer.key(key)
        writer.number(value)
    }

    package mutating func add(_ key: String, _ value: Bool) {
        writer.key(key)
        writer.bool(value)
    }

    /// An array of objects finished by other builders.
    package mutating func add(_ key: String, objects: [[UInt8]]) {
        writer.key(key)
        writer.beginArray()
        for object in objects { writer.raw(json: object) }
        writer.endArray()
    }

    /// The finished object's UTF-8 bytes.
    package mutating func finish() -> [UInt8] {
        writer.endObject()
        return writer.bytes
    }
}
