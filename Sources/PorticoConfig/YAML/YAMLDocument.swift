import Yams

/// Parses one mapping file's text into a root ``ConfigNode``, reporting YAML syntax errors with their position.
///
/// Scalars are composed with Yams's basic resolver, which tags none of them: ``ConfigNode`` reads every
/// scalar as text and checks it itself, so the default resolver's regular expressions (ICU's, through
/// Foundation, run against every scalar) would only cost start-up time and code pages.
package enum YAMLDocument {
    /// The root node, or `nil` after reporting a syntax error; an empty file is an empty mapping.
    package static func parse(
        _ text: String,
        file: String,
        log: DiagnosticLog,
        expander: EnvironmentExpander
    ) -> ConfigNode? {
        let start = SourceLocation(file: file, line: 1, column: 1, keyPath: "")
        do {
            let node = try Yams.compose(yaml: text, .basic) ?? Node.mapping(Node.Mapping([]))
            return ConfigNode(node: node, location: start, log: log, expander: expander)
        } catch let error as YamlError {
            log.report("invalid YAML: \(describe(error))", at: position(of: error, file: file) ?? start)
            return nil
        } catch {
            log.report("invalid YAML", at: start)
            return nil
        }
    }

    private static func position(of error: YamlError, file: String) -> SourceLocation? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            SourceLocation(file: file, line: mark.line, column: mark.column, keyPath: "")
        default:
            nil
        }
    }

    /// The parser's reason alone: Yams's own descriptions quote the offending line (and some the whole
    /// text), which may hold a secret.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            problem
        case .reader(let problem, _, _, _):
            problem
        default:
            "the file cannot be read as YAML"
        }
    }
}
