import NIOHTTP1
import PorticoConfig
import PorticoCore

/// The API version a request selected, and what its responses must announce.
package struct APIVersion: Sendable, Hashable {
    /// The version's name (`v1`).
    package var name: String
    /// Its position in ``VersionPolicy/supported``; the codec's name tables are indexed by it.
    package var index: Int
    /// `Deprecation` and `Sunset` headers for a deprecated version; empty otherwise.
    package var responseHeaders: [(String, String)]

    package static func == (lhs: APIVersion, rhs: APIVersion) -> Bool {
        lhs.name == rhs.name && lhs.index == rhs.index
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(index)
    }
}

/// Reads the version header (`x-api-version` by default) and picks the ``APIVersion`` of a request.
///
/// Built once from the configuration; each request only looks up. Without the header the default version
/// applies; an unknown version is answered 400 with the list of supported ones.
package struct APIVersionSelector: Sendable {
    private let header: String
    private let versions: [String: APIVersion]
    private let defaultVersion: APIVersion
    private let supportedList: String

    package init(policy: VersionPolicy) {
        header = policy.header
        var versions: [String: APIVersion] = [:]
        for (index, name) in policy.supported.enumerated() {
            let headers = policy.deprecated[name].map {
                [("deprecation", $0.deprecationHeader), ("sunset", $0.sunsetHeader)]
            } ?? []
            versions[name] = APIVersion(name: name, index: index, responseHeaders: headers)
        }
        self.versions = versions
        defaultVersion = versions[policy.defaultVersion] ?? APIVersion(name: policy.defaultVersion, index: 0, responseHeaders: [])
        supportedList = policy.supported.joined(separator: ", ")
    }

    /// The version a request asks for.
    ///
    /// - Throws: `INVALID_ARGUMENT` (400) naming the supported versions when the header names another one.
    package func select(_ headers: HTTPHeaders) throws(GatewayError) -> APIVersion {
        guard let requested = headers.first(name: header)?.trimmingASCIISpaces(), !requested.isEmpty else {
            return defaultVersion
        }
        guard let version = versions[requested] else {
            let shown = requested.utf8.count <= 32 ? "\"\(requested.filter { $0.isASCII && !$0.isNewline && $0 != "\"" })\"" : "requested"
            throw .invalidArgument("unsupported API version \(shown) in \(header); supported versions: \(supportedList)")
        }
        return version
    }
}

extension String {
    fileprivate func trimmingASCIISpaces() -> String {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" { view.removeFirst() }
        while view.last == " " || view.last == "\t" { view.removeLast() }
        return String(view)
    }
}
