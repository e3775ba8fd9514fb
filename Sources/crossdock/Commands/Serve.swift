import ArgumentParser
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `crossdock serve`: runs the hub until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hub: the HTTP API, the group-commit writer and the delivery worker.",
        discussion: """
            On an empty database it creates an admin API key and prints it once. On SIGTERM it stops accepting
            requests, finishes in-flight deliveries (each within its request timeout), commits what is queued and exits.
            """
    )

    @Option(help: "Database URL: sqlite:PATH or postgres://user:pass@host:port/db.")
    var db: String = "sqlite:./crossdock.sqlite"
    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080
    @Option(help: "Interface to bind.")
    var host: String = "127.0.0.1"
    @Option(help: "Maximum delivery attempts before an event is dead-lettered.")
    var maxAttempts: Int = 12
    @Option(help: "First retry backoff ceiling in milliseconds (exponential, full jitter).")
    var retryBaseMs: Int = 1000
    @OptionGroup var log: LogOptions

    func run() async throws {
        log.bootstrap(default: .info)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "crossdock")
        let store = try SQLiteStore.open(try DatabaseURL(parsing: db), logger: logger)
        try await store.withRunningWriter {
            if try await store.keyCount() == 0 {
                let (_, secret) = try await APIKeys.create(in: store, name: "bootstrap-admin", scopes: [Scope.admin.rawValue])
                say("No API keys existed; created an admin key. It is shown once:")
                say(secret)
            }
        }
        var hub = Hub.Configuration(host: host, port: port)
        hub.delivery.retry = RetryPolicy(maxAttempts: maxAttempts, base: .milliseconds(retryBaseMs))
        let app = Hub.application(store: store, configuration: hub, registry: registry, logger: logger) { port in
            say("crossdock listening on http://\(host):\(port)")
        }
        try await app.runService()
    }
}
