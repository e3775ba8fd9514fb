import ArgumentParser
import Logging
import OTel

/// The `crossdock` command line: thin commands that wire the layers together.
@main
struct Crossdock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossdock",
        abstract: "Crossdock: a distribution connectivity hub.",
        subcommands: [
            Serve.self, Demo.self, Bench.self, EDI.self, Keys.self, Migrate.self, Reconcile.self, DLQ.self, Replay.self, Secrets.self, Audit.self,
            Limits.self, Partners.self,
        ]
    )
}

/// Options every command that logs shares.
struct LogOptions: ParsableArguments {
    /// How log lines are written.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// swift-log's text lines.
        case text
        /// One JSON object per line (``JSONLogHandler``).
        case json
    }

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level?
    @Option(help: "Log lines as text or as JSON objects (one per line); with traces exported, each carries trace_id and span_id.")
    var logFormat: Format = .text

    /// Bootstraps swift-log once, for this process. Lines logged inside a span carry its ids (`trace_id`, `span_id`).
    func bootstrap(default level: Logger.Level) {
        let chosen = logLevel ?? level
        let format = logFormat
        LoggingSystem.bootstrap(
            { label, provider in
                switch format {
                case .text:
                    var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                    handler.logLevel = chosen
                    return handler
                case .json:
                    var handler = JSONLogHandler(label: label, metadataProvider: provider)
                    handler.logLevel = chosen
                    return handler
                }
            },
            metadataProvider: OTel.makeLoggingMetadataProvider()
        )
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
