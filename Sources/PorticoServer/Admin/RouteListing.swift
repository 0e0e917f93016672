import PorticoConfig
import PorticoRouting
import PorticoCodec

/// The compiled routes of a snapshot, as `portico routes` prints them and `/admin/routes` serves them.
package struct RouteListing: Sendable {
    /// One route: how it is reached and what it calls.
    package struct Entry: Sendable, Hashable {
        package var method: String
        package var path: String
        package var selector: String
        package var backend: String
        package var body: String
        package var responseBody: String
        package var origin: String
    }

    package let entries: [Entry]

    package init(snapshot: GatewaySnapshot) {
        entries = snapshot.routes.routes.map { route in
            let backend = if let composite = route.value.composite {
                composite.parts.map { "\($0.name): \(snapshot.backends[$0.backendIndex].name)" }.joined(separator: ", ")
            } else {
                snapshot.backends[route.value.backendIndex].name
            }
            return Entry(
                method: route.method,
                path: route.template.text,
                selector: route.value.target.selector,
                backend: backend,
                body: route.body,
                responseBody: route.responseBody,
                origin: route.origin
            )
        }
        .sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// An aligned table, one route a line.
    package func text() -> String {
        let methodWidth = entries.map(\.method.count).max() ?? 0
        let pathWidth = entries.map(\.path.count).max() ?? 0
        return entries.map { entry in
            var line = entry.method.padding(methodWidth) + "  " + entry.path.padding(pathWidth) + "  → " + entry.selector
            line += " (\(entry.backend))"
            if !entry.body.isEmpty { line += " body: \(entry.body)" }
            if !entry.responseBody.isEmpty { line += " response_body: \(entry.responseBody)" }
            return line
        }.joined(separator: "\n")
    }

    /// A JSON array of objects.
    func json() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONObjectBuilder()
            object.add("method", entry.method)
            object.add("path", entry.path)
            object.add("selector", entry.selector)
            object.add("backend", entry.backend)
            object.add("body", entry.body)
            object.add("response_body", entry.responseBody)
            object.add("origin", entry.origin)
            bytes += object.finish()
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
