import ArgumentParser
import Configuration
import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `crossdock serve`: runs the hub until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hub: the HTTP API, the group-commit writer and the delivery worker.",
        discussion: """
            On an empty database it creates an admin API key and prints it once. On SIGTERM it stops accepting
            requests, finishes in-flight deliveries (each within its request timeout), commits what is queued and exits.
            """
    )

    @Option(help: "Database URL: sqlite:PATH or postgres://user:pass@host:port/db (config db.url, env DB_URL; default sqlite:./crossdock.sqlite).")
    var db: String?
    @Option(help: "Port to listen on, 0 picks a free one (config http.port, env HTTP_PORT; default 8080).")
    var port: Int?
    @Option(help: "Interface to bind (config http.host, env HTTP_HOST; default 127.0.0.1).")
    var host: String?
    @Option(help: "Delivery attempts before an event is dead-lettered (env DELIVERY_MAX_ATTEMPTS; default 12).")
    var maxAttempts: Int?
    @Option(help: "First retry backoff ceiling in ms, exponential with full jitter (env DELIVERY_RETRY_BASE_MS; default 1000).")
    var retryBaseMs: Int?
    @Option(help: "Undelivered deliveries above which intake answers 503 with Retry-After (env DELIVERY_BACKLOG_MAX; default 100000).")
    var maxBacklog: Int?
    @Option(help: "Coalescing window of inventory.availability_changed in ms; 0 turns the feed off (env AVAILABILITY_WINDOW_MS; default 200).")
    var availabilityWindowMs: Int?
    @Option(help: "A directory of outbound mapping files (*.json) loaded beside the bundled ones (config mappings.dir, env MAPPINGS_DIR).")
    var mappings: String?
    @Option(help: "GS1 company prefix of the SSCCs on 856 ship notices, 7-10 digits (config gs1.prefix, env GS1_PREFIX; default 0614141).")
    var gs1Prefix: String?
    @Option(
        help:
            "How long a node holds a claimed delivery before another may take it over, in ms (config delivery.lease.ms, env DELIVERY_LEASE_MS; default 30000)."
    )
    var deliveryLeaseMs: Int?
    @Option(
        help:
            "How often the alert job sends operations exceptions to the alert routes, in ms; 0 turns it off (config alerts.interval.ms, env ALERTS_INTERVAL_MS; default 30000)."
    )
    var alertIntervalMs: Int?
    @Option(
        help:
            "How often the watchdogs check every promise and close finished orders, in ms; 0 turns them off (config watchdogs.interval.ms, env WATCHDOGS_INTERVAL_MS; default 60000)."
    )
    var watchdogIntervalMs: Int?
    @Option(help: "PEM certificate chain (leaf first) to serve HTTPS with; needs --tls-key (config http.tls.cert, env HTTP_TLS_CERT).")
    var tlsCert: String?
    @Option(help: "PEM private key of --tls-cert (config http.tls.key, env HTTP_TLS_KEY).")
    var tlsKey: String?
    @Option(
        help:
            "Base URL clients reach the hub at, e.g. https://hub.example.com; events name their schema under it in dataschema (config http.public.url, env HTTP_PUBLIC_URL; default the bound address)."
    )
    var publicUrl: String?
    @Option(
        help:
            "Requests each API key may make per window, as REQUESTS/WINDOW (600/60s, 100/1s, 10000/1h), for keys no stored policy names; unset limits no key (config rate.limit.key, env RATE_LIMIT_KEY)."
    )
    var rateLimit: String?
    @Option(
        help:
            "Requests all keys of one partner may make per window together, as REQUESTS/WINDOW, for partners no stored policy names; unset limits no partner (config rate.limit.partner, env RATE_LIMIT_PARTNER)."
    )
    var partnerRateLimit: String?
    @Option(
        help:
            "How long a request over its rate limit is held before it is answered 429, in ms (at most until its window ends), so a client that ignores Retry-After cannot spend the hub's CPU on refusals; 0 answers at once (config rate.limit.refusal.delay.ms, env RATE_LIMIT_REFUSAL_DELAY_MS; default 250)."
    )
    var rateLimitRefusalDelayMs: Int?
    @Option(
        help:
            "The longest a request within its rate limit is held, in ms, so that a limited key's or partner's requests are spread at the limit's rate (a twentieth of the limit passes at once) instead of arriving in a burst at each window's start; 0 turns pacing off (config rate.limit.pace.ms, env RATE_LIMIT_PACE_MS; default 1000)."
    )
    var rateLimitPaceMs: Int?
    @Option(
        help:
            "Requests of one partner (its partner-bound keys together) worked on at once on this node; the rest wait their turn, so one partner's burst cannot fill the commit queue ahead of the others; 0 leaves partners uncapped (config partner.concurrency, env PARTNER_CONCURRENCY; default 8)."
    )
    var partnerConcurrency: Int?
    @Option(
        help:
            "OpenTelemetry collector to export traces to over OTLP/HTTP, e.g. http://127.0.0.1:4318 (spans go to its /v1/traces); off when unset (config otel.endpoint, env OTEL_ENDPOINT)."
    )
    var otelEndpoint: String?
    @Option(help: "service.name of the exported traces (config otel.service.name, env OTEL_SERVICE_NAME; default crossdock).")
    var otelServiceName: String?
    @OptionGroup var log: LogOptions

    func run() async throws {
        log.bootstrap(default: .info)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "crossdock")
        let settings = try await Settings.load()
        let secrets = try settings.secretBox()
        let rateLimits = try defaultRateLimits(settings)
        if let id = secrets.keyID {
            logger.info("stored secrets are encrypted", metadata: [LogKey.secretKey: "\(id)"])
        } else {
            logger.warning("CROSSDOCK_SECRET_KEY is not set: subscription and partner secrets are stored in plain text")
        }
        let store = try await StoreFactory.open(try DatabaseURL(parsing: settings.databaseURL(db)), secrets: secrets, logger: logger)
        try await store.withRunning {
            if try await store.keyCount() == 0 {
                let (_, secret) = try await APIKeys.create(in: store, name: "bootstrap-admin", scopes: [Scope.admin.rawValue])
                say("No API keys existed; created an admin key. It is shown once:")
                say(secret)
            }
        }
        let host = settings.string(host, "http.host", default: "127.0.0.1")
        var hub = Hub.Configuration(host: host, port: settings.int(port, "http.port", default: 8080))
        hub.delivery.retry = RetryPolicy(
            maxAttempts: settings.int(maxAttempts, "delivery.max.attempts", default: 12),
            base: .milliseconds(settings.int(retryBaseMs, "delivery.retry.base.ms", default: 1000))
        )
        hub.maxBacklog = settings.int(maxBacklog, "delivery.backlog.max", default: 100_000)
        let lease = settings.int(deliveryLeaseMs, "delivery.lease.ms", default: 30_000)
        guard lease >= 2000 else { throw ValidationError("--delivery-lease-ms must be at least 2000") }
        hub.delivery.lease = .milliseconds(lease)
        let alertInterval = settings.int(alertIntervalMs, "alerts.interval.ms", default: 30_000)
        guard alertInterval == 0 || alertInterval >= 100 else { throw ValidationError("--alert-interval-ms must be 0 (off) or at least 100") }
        hub.alerts = alertInterval > 0 ? .init(interval: .milliseconds(alertInterval)) : nil
        let watchdogInterval = settings.int(watchdogIntervalMs, "watchdogs.interval.ms", default: 60_000)
        guard watchdogInterval == 0 || watchdogInterval >= 100 else {
            throw ValidationError("--watchdog-interval-ms must be 0 (off) or at least 100")
        }
        hub.watchdogs = watchdogInterval > 0 ? .init(interval: .milliseconds(watchdogInterval)) : nil
        let window = settings.int(availabilityWindowMs, "availability.window.ms", default: 200)
        hub.availability = window > 0 ? .init(window: .milliseconds(window)) : nil
        let directory = settings.string(mappings, "mappings.dir", default: "")
        do {
            hub.mappings = try MappingCatalog.load(directory: directory.isEmpty ? nil : URL(fileURLWithPath: directory))
        } catch {
            throw ValidationError("outbound mappings: \(error)")
        }
        say("outbound mappings: \(hub.mappings.names.joined(separator: ", "))")
        let prefix = settings.string(gs1Prefix, "gs1.prefix", default: "0614141")
        guard (7...10).contains(prefix.count), prefix.allSatisfy(\.isASCII), prefix.allSatisfy(\.isNumber) else {
            throw ValidationError("--gs1-prefix must be 7-10 digits")
        }
        hub.ediOutbound?.companyPrefix = prefix
        let certificate = settings.string(tlsCert, "http.tls.cert", default: "")
        let key = settings.string(tlsKey, "http.tls.key", default: "")
        switch (certificate.isEmpty, key.isEmpty) {
        case (true, true):
            break
        case (false, false):
            do {
                hub.tls = try Hub.tlsConfiguration(certificatePath: certificate, keyPath: key)
            } catch {
                throw ValidationError("--tls-cert/--tls-key: cannot use \(certificate) with \(key): \(error)")
            }
        default:
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        let publicURL = settings.string(publicUrl, "http.public.url", default: "")
        if !publicURL.isEmpty {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--public-url must be an absolute http(s) URL")
            }
            hub.publicURL = publicURL
        }
        hub.defaultRateLimits = rateLimits
        let refusalDelay = settings.int(rateLimitRefusalDelayMs, "rate.limit.refusal.delay.ms", default: 250)
        guard (0...10_000).contains(refusalDelay) else { throw ValidationError("--rate-limit-refusal-delay-ms must be 0 to 10000") }
        hub.rateLimitRefusalDelay = .milliseconds(refusalDelay)
        let pace = settings.int(rateLimitPaceMs, "rate.limit.pace.ms", default: 1000)
        guard (0...60_000).contains(pace) else { throw ValidationError("--rate-limit-pace-ms must be 0 to 60000") }
        hub.rateLimitPacing = .milliseconds(pace)
        hub.partnerConcurrency = settings.int(partnerConcurrency, "partner.concurrency", default: 8)
        guard (0...10_000).contains(hub.partnerConcurrency) else { throw ValidationError("--partner-concurrency must be 0 to 10000") }
        var leading: [any Service] = []
        let otel = settings.string(otelEndpoint, "otel.endpoint", default: "")
        if !otel.isEmpty {
            guard let url = URL(string: otel), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--otel-endpoint must be an absolute http(s) URL, e.g. http://127.0.0.1:4318")
            }
            do {
                leading.append(
                    try TraceExport.bootstrap(
                        endpoint: otel,
                        serviceName: settings.string(otelServiceName, "otel.service.name", default: "crossdock")
                    )
                )
            } catch {
                throw ValidationError("--otel-endpoint: cannot export traces to \(otel): \(error)")
            }
            say("traces: OTLP/HTTP to \(TraceExport.tracesURL(otel))")
        }
        let scheme = hub.tls == nil ? "http" : "https"
        let app = Hub.application(store: store, configuration: hub, registry: registry, logger: logger, leadingServices: leading) { port in
            say("crossdock listening on \(scheme)://\(host):\(port)")
        }
        try await app.runService()
    }

    /// The limits of `--rate-limit` and `--partner-rate-limit` (or their settings), checked before anything starts.
    func defaultRateLimits(_ settings: Settings) throws -> [RateLimitPolicy] {
        var policies: [RateLimitPolicy] = []
        for (option, subject, flag) in [(rateLimit, "key:*", "rate-limit"), (partnerRateLimit, "partner:*", "partner-rate-limit")] {
            let text = settings.string(option, subject == "key:*" ? "rate.limit.key" : "rate.limit.partner", default: "")
            guard !text.isEmpty else { continue }
            guard let parsed = RateLimitOption.parse(text),
                RateLimitPolicies.problems(subject: subject, requests: parsed.requests, windowSeconds: parsed.windowSeconds).isEmpty
            else {
                throw ValidationError(
                    "--\(flag) must be REQUESTS/WINDOW with 1 to \(RateLimitPolicies.maxRequests) requests and a window of 1 s to 24 h, e.g. 600/60s"
                )
            }
            policies.append(RateLimitPolicy(subject: subject, requests: parsed.requests, windowSeconds: parsed.windowSeconds))
        }
        return policies
    }
}
