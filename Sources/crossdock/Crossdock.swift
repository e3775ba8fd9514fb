import ArgumentParser
import Logging

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
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level?

    /// Bootstraps swift-log once, for this process.
    func bootstrap(default level: Logger.Level) {
        let chosen = logLevel ?? level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = chosen
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
