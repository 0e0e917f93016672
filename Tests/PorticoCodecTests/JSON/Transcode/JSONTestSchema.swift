import NIOCore
import Foundation
import PorticoCore
import PorticoSchema
import PorticoTesting

@testable import PorticoCodec

/// The fixture schema `Tests/Fixtures/protos/json/jsontest/everything.proto`, loaded once, and helpers that
/// run the transcoder on strings.
enum JSONTestSchema {
    /// Compiled by `protoc` and read by the `FileDescriptorSet` loader, as a deployment would.
    static let pool: SchemaPool = {
        do {
            let set = try Protoc.descriptorSet(files: ["jsontest/everything.proto"], includeRoots: [Fixtures.url("protos/json")])
            return try FileDescriptorSetLoader().load([UInt8](set))
        } catch {
            fatalError("fixture schema does not load: \(error)")
        }
    }()

    static let descriptors: DescriptorPool = {
        do {
            return try DescriptorPool(schema: pool)
        } catch {
            fatalError("fixture schema does not lay out: \(error)")
        }
    }()

    /// The default version "v2" plus a "v1" that renames a few fields.
    static let transcoder: JSONTranscoder = {
        let renames = [
            JSONNameTables.Rename(version: "v1", message: "jsontest.Everything", protoFieldName: "order_items", jsonName: "items"),
            JSONNameTables.Rename(version: "v1", message: "jsontest.Item", protoFieldName: "quantity", jsonName: "qty"),
            JSONNameTables.Rename(version: "v1", message: "jsontest.Item", protoFieldName: "product_id", jsonName: "product_id"),
        ]
        do {
            return JSONTranscoder(descriptors: descriptors, names: try JSONNameTables(pool: pool, defaultVersion: "v2", renames: renames))
        } catch {
            fatalError("fixture name tables do not build: \(error)")
        }
    }()

    /// JSON → protobuf → JSON.
    static func roundTrip(
        _ json: String,
        _ message: String = "jsontest.Everything",
        input: JSONTranscoder.Options = .init(),
        output: JSONTranscoder.Options = .init(),
        bindings: [JSONTranscoder.FieldBinding] = []
    ) throws(GatewayError) -> String {
        let binary = try transcoder.protobuf(fromJSON: ByteBuffer(string: json), message: message, options: input, bindings: bindings)
        let text = try transcoder.json(fromProtobuf: binary, message: message, options: output)
        return String(buffer: text)
    }

    /// The client message of the error JSON → protobuf gives, or `nil` when it succeeds.
    static func inputError(
        _ json: String,
        _ message: String = "jsontest.Everything",
        options: JSONTranscoder.Options = .init(),
        bindings: [JSONTranscoder.FieldBinding] = []
    ) -> String? {
        do {
            _ = try transcoder.protobuf(fromJSON: ByteBuffer(string: json), message: message, options: options, bindings: bindings)
            return nil
        } catch {
            return error.code == .invalidArgument ? error.message : "unexpected \(error)"
        }
    }
}
