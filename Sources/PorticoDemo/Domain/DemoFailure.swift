import PorticoCore

/// A demo backend's refusal: the gRPC status it answers with and a message for the client.
struct DemoFailure: Error, Sendable, Hashable {
    var code: GRPCStatusCode
    var message: String

    static func notFound(_ message: String) -> DemoFailure {
        DemoFailure(code: .notFound, message: message)
    }

    static func invalidArgument(_ message: String) -> DemoFailure {
        DemoFailure(code: .invalidArgument, message: message)
    }
}
