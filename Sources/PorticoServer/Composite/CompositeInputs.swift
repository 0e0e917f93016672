import Foundation
import PorticoCodec
import PorticoCore
import PorticoPolicies
import PorticoRouting

/// What a composite request gives its parts: the path variables, the query parameters the route reads, and
/// the caller's claims. A query parameter that no part reads is answered 400, as on every route.
struct CompositeInputs {
    private var path: [String: String] = [:]
    private var query: [String: [String]] = [:]
    private var claims: [CompositeClaim: String] = [:]

    init(matched: MatchedRoute<GatewayRoute>, plan: CompositePlan, principal: Principal?) throws(GatewayError) {
        for binding in matched.bindings { path[binding.name] = binding.value }
        if let text = matched.query, !text.isEmpty {
            for parameter in try QueryStringParser.parse(text) {
                guard plan.queryParameters.contains(parameter.name) else {
                    let known = plan.queryParameters.sorted().joined(separator: ", ")
                    throw .invalidArgument(
                        "unknown query parameter \"\(RequestTranscoding.printable(parameter.name))\" (this route reads: \(known.isEmpty ? "none" : known))"
                    )
                }
                query[parameter.name, default: []].append(parameter.value)
            }
        }
        if let principal {
            claims[.sub] = principal.subject
            if let clientID = principal.clientID { claims[.clientID] = clientID }
            if let plan = principal.plan { claims[.plan] = plan }
        }
    }

    /// The values a binding gives its field: none (the field stays unset), one, or several for a list.
    func values(of source: CompositeBinding.Source, answers: (Int) -> ProtoMessage?) -> [String] {
        switch source {
        case .pathVariable(let name): path[name].map { [$0] } ?? []
        case .query(let name): query[name] ?? []
        case .claim(let claim): claims[claim].map { [$0] } ?? []
        case .constant(let value): [value]
        case .answer(let part, let names): answers(part).map { Self.values(at: names, in: $0) } ?? []
        }
    }

    /// The scalar values at a proto-name path of an answer, in the form a path or query value takes.
    static func values(at names: [String], in message: ProtoMessage) -> [String] {
        var current = message
        for name in names.dropLast() {
            guard case .message(let nested)? = current[name] else { return [] }
            current = nested
        }
        guard let last = names.last, let value = current[last] else { return [] }
        if case .list(let elements) = value { return elements.compactMap(text) }
        return text(value).map { [$0] } ?? []
    }

    private static func text(_ value: ProtoValue) -> String? {
        switch value {
        case .int32(let number): String(number)
        case .int64(let number): String(number)
        case .uint32(let number): String(number)
        case .uint64(let number): String(number)
        case .float(let number): number.isFinite ? "\(number)" : number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity"
        case .double(let number): number.isFinite ? "\(number)" : number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity"
        case .bool(let flag): flag ? "true" : "false"
        case .string(let string): string
        case .bytes(let bytes): Data(bytes).base64EncodedString()
        case .enumNumber(let number): String(number)
        case .message, .list, .map: nil
        }
    }
}
