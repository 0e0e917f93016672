import ArgumentParser
import Logging
import Metrics
import PorticoServer

/// `--log-level`, and the process-wide logging it sets up: every `swift-log` logger writes JSON lines
/// (``JSONLogHandler``) through the same non-blocking writer as the access log, on standard output.
struct LoggingOptions: ParsableArguments {
    @Option(help: "The lowest level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    /// Bootstraps `swift-log` with the JSON handler at ``logLevel``; call once, before any logger is made.
    func bootstrap() {
        let level = logLevel
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level, writer: .standardOutput) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
