/// The files reached from the requested ones through imports: parsed once each, ordered so that every file
/// comes after its imports, with missing files and import cycles reported at the `import` that causes them.
struct ImportGraph {
    let loader: ProtoLoader
    private(set) var parsed: [String: ParsedFile] = [:]
    /// Files in dependency order (imports first).
    private(set) var order: [String] = []
    private(set) var diagnostics: [ProtoDiagnostic] = []
    /// Files that are missing, failed to parse, sit on an import cycle or import such a file.
    private var broken: Set<String> = []
    private var inProgress: [String] = []

    init(loader: ProtoLoader) {
        self.loader = loader
    }

    func isUsable(_ name: String) -> Bool {
        !broken.contains(name) && parsed[name] != nil
    }

    /// Parses `name` and its imports depth-first; returns whether the file and its imports are usable.
    @discardableResult
    mutating func visit(_ name: String, importedFrom: (file: String, position: SourcePosition)?) -> Bool {
        if let cycleStart = inProgress.firstIndex(of: name) {
            let chain = (inProgress[cycleStart...] + [name]).joined(separator: " -> ")
            if let importedFrom {
                diagnostics.append(ProtoDiagnostic(severity: .error, file: importedFrom.file, position: importedFrom.position, message: "File recursively imports itself: \(chain)"))
            }
            broken.formUnion(inProgress[cycleStart...])
            return false
        }
        if parsed[name] != nil || broken.contains(name) { return isUsable(name) }
        guard ImportGraph.isCanonical(name) else {
            broken.insert(name)
            let message = "Import path \"\(name)\" must be relative, with no empty, \".\" or \"..\" components and no backslashes."
            let place = importedFrom ?? (name, SourcePosition(line: 1, column: 1))
            diagnostics.append(ProtoDiagnostic(severity: .error, file: place.file, position: place.position, message: message))
            return false
        }
        guard let source = loader.source(of: name) else {
            broken.insert(name)
            if let importedFrom {
                diagnostics.append(ProtoDiagnostic(severity: .error, file: importedFrom.file, position: importedFrom.position, message: "Import \"\(name)\" was not found."))
            } else {
                diagnostics.append(ProtoDiagnostic(severity: .error, file: name, position: SourcePosition(line: 1, column: 1), message: "File not found."))
            }
            return false
        }
        let result = ProtoParser.parse(name: name, text: source.text, isBuiltIn: source.isBuiltIn)
        diagnostics += result.diagnostics
        parsed[name] = result.file
        if result.diagnostics.contains(where: { $0.severity == .error }) { broken.insert(name) }
        inProgress.append(name)
        var seen: Set<String> = []
        for dependency in result.file.imports {
            guard seen.insert(dependency.path).inserted else {
                diagnostics.append(ProtoDiagnostic(severity: .error, file: name, position: dependency.position, message: "Import \"\(dependency.path)\" was listed twice."))
                broken.insert(name)
                continue
            }
            let isCycle = inProgress.contains(dependency.path)
            if !visit(dependency.path, importedFrom: (name, dependency.position)) {
                if !isCycle, parsed[dependency.path] != nil {
                    diagnostics.append(ProtoDiagnostic(severity: .error, file: name, position: dependency.position, message: "Import \"\(dependency.path)\" was not found or had errors."))
                }
                broken.insert(name)
            }
        }
        inProgress.removeLast()
        order.append(name)
        return isUsable(name)
    }

    /// Whether an import path names a file inside an include root, as protoc requires: relative, with
    /// no empty, `.` or `..` components and no backslashes.
    static func isCanonical(_ path: String) -> Bool {
        !path.isEmpty && !path.contains("\\")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// For each file, the files whose declarations it may use: itself, its imports, and the files those
    /// re-export with `import public` (transitively).
    func visibility(of names: [String]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for name in names {
            var visible: Set<String> = [name]
            for dependency in parsed[name]?.imports ?? [] {
                visible.formUnion(publicClosure(of: dependency.path))
            }
            result[name] = visible
        }
        return result
    }

    private func publicClosure(of name: String) -> Set<String> {
        var closure: Set<String> = [name]
        var pending = [name]
        while let next = pending.popLast() {
            for dependency in parsed[next]?.imports ?? [] where dependency.kind == .public {
                if closure.insert(dependency.path).inserted { pending.append(dependency.path) }
            }
        }
        return closure
    }
}
