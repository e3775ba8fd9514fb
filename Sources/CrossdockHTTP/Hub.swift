import AsyncHTTPClient
import CrossdockConnectors
import CrossdockEngine
import CrossdockStore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import Prometheus
import ServiceLifecycle

/// Builds the hub: the HTTP application with its routes and the services that run beside it.
public enum Hub {
    /// Settings of one hub process.
    public struct Configuration: Sendable {
        /// Interface to bind.
        public var host: String
        /// Port; 0 picks a free one.
        public var port: Int
        /// Intake tunables.
        public var orders: OrderService.Configuration
        /// Delivery tunables.
        public var delivery: DeliveryWorker.Configuration
        /// Whether `inventory.availability_changed` is published (default true), and how.
        public var availability: AvailabilityPublisher.Configuration? = .init()
        /// Undelivered deliveries above which intake answers 503 with `Retry-After` (`delivery.backlog.max`,
        /// default 100 000).
        public var maxBacklog: Int = 100_000
        /// Writes waiting for the disk above which intake answers 503 with `Retry-After` (default 4 096).
        public var maxPendingWrites: Int = 4096
        /// Threshold and cooldowns of each endpoint's circuit breaker.
        public var breaker = CircuitBreaker()
        /// The outbound mappings subscriptions may name (`settings.mapping`): the bundled ones by default.
        public var mappings: MappingCatalog = Hub.bundledMappings
        /// The follower that writes 856, 810 and 940 documents for X12 partners; nil turns it off.
        public var ediOutbound: EDIOutbound.Configuration? = .init()
        /// TLS for the hub's own listener (`--tls-cert`, `--tls-key`); nil serves plain HTTP.
        public var tls: TLSConfiguration?
        /// The base URL clients reach the hub at (`http.public.url`), used in the schema URLs events name in
        /// `dataschema`; nil uses the bound address (`http(s)://host:port`).
        public var publicURL: String?
        /// The follower that publishes `channel.order_updated` for orders from Shopify shops and Salesforce orgs; nil
        /// turns it off.
        public var channelOutbound: ChannelOutbound.Configuration? = .init()
        /// The service that publishes prices whose dates begin or end each day; nil turns it off.
        public var priceCalendar: PriceCalendar.Configuration? = .init()
        /// Rate limits for keys (`key:*`) and partners (`partner:*`) that no stored policy names (`--rate-limit`,
        /// `--partner-rate-limit`); empty, the default, limits nobody until a policy is stored.
        public var defaultRateLimits: [RateLimitPolicy] = []
        /// How long a request over its rate limit is held before it is answered 429 (at most until its window ends),
        /// so a client that ignores `Retry-After` cannot spend the hub's CPU on refusals; zero answers at once.
        public var rateLimitRefusalDelay: Duration = .milliseconds(250)
        /// The longest an admitted request is held so that a subject's requests are spread at its limit's rate instead
        /// of arriving in a burst at each window's start (a twentieth of the limit passes at once); zero turns
        /// pacing off.
        public var rateLimitPacing: Duration = .seconds(1)
        /// Requests of one partner (its partner-bound keys together) worked on at once on a node; the rest wait their
        /// turn (``PartnerBulkheadMiddleware``). Zero leaves partners uncapped.
        public var partnerConcurrency: Int = 8
        /// The job that raises and resolves watchdog exceptions and closes orders; nil turns it off.
        public var watchdogs: Watchdogs.Configuration? = .init()
        /// The job that sends operations exceptions to the alert routes (docs/alerts.md); nil turns it off.
        public var alerts: AlertNotifier.Configuration? = .init()
        /// The exception-queue gauges every node publishes on `/metrics`; nil turns them off.
        public var exceptionGauges: ExceptionGauges.Configuration? = .init()
        /// The follower that folds the log into the KPI rollup (``KPIRollup``); nil turns it off, and reports then fold
        /// the log past the rollup themselves, up to ``KPIReport/maxTail`` facts.
        public var kpiRollup: KPIRollupFollower.Configuration? = .init()

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: `http.host`, default `127.0.0.1`.
        ///   - port: `http.port`, default 8080.
        ///   - orders: intake tunables.
        ///   - delivery: delivery tunables.
        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            orders: OrderService.Configuration = .init(),
            delivery: DeliveryWorker.Configuration = .init()
        ) {
            self.host = host
            self.port = port
            self.orders = orders
            self.delivery = delivery
        }
    }

    /// The bundled outbound mappings (validated by the connector tests; empty only if the package's resources are
    /// missing, which `crossdock serve` reports at start).
    public static let bundledMappings: MappingCatalog = (try? MappingCatalog.load()) ?? (try! MappingCatalog([]))

    /// The router with every route and middleware.
    public static func router(
        store: any Store,
        configuration: Configuration = .init(),
        registry: PrometheusCollectorRegistry? = nil,
        health: DeliveryHealth? = nil,
        controlNumbers: StoreControlNumberSource? = nil,
        publicURL: PublicURL? = nil,
        logger: Logger = Logger(label: "crossdock")
    ) -> Router<CrossdockContext> {
        routeTable(
            store: store,
            configuration: configuration,
            registry: registry,
            health: health,
            controlNumbers: controlNumbers,
            publicURL: publicURL,
            logger: logger
        ).router
    }

    /// The router with every route and middleware, with the list of the routes registered on it.
    public static func routeTable(
        store: any Store,
        configuration: Configuration = .init(),
        registry: PrometheusCollectorRegistry? = nil,
        health: DeliveryHealth? = nil,
        controlNumbers: StoreControlNumberSource? = nil,
        publicURL: PublicURL? = nil,
        logger: Logger = Logger(label: "crossdock")
    ) -> RouteTable {
        let controlNumbers = controlNumbers ?? StoreControlNumberSource(store: store)
        let health = health ?? DeliveryHealth(maxBacklog: configuration.maxBacklog, breaker: configuration.breaker)
        let publicURL = publicURL ?? PublicURL(configuration.publicURL ?? configuration.boundURL(port: configuration.port))
        let router = RouteTable(Router(context: CrossdockContext.self))
        router.middlewares.add(ServerTimingMiddleware())
        router.middlewares.add(RequestIDMiddleware())
        router.middlewares.add(SecurityHeadersMiddleware(tls: configuration.tls != nil))
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(TracingMiddleware())
        router.middlewares.add(LogRequestsMiddleware(.debug))
        router.middlewares.add(AuthMiddleware(store: store))
        let limiter = RateLimiter(
            store: store,
            defaultKey: configuration.defaultRateLimits.first { $0.subject == "key:*" }.map {
                .init(requests: $0.requests, window: $0.windowSeconds)
            },
            defaultPartner: configuration.defaultRateLimits.first { $0.subject == "partner:*" }.map {
                .init(requests: $0.requests, window: $0.windowSeconds)
            },
            maxHold: configuration.rateLimitPacing,
            logger: logger
        )
        router.middlewares.add(RateLimitMiddleware(limiter: limiter, refusalDelay: configuration.rateLimitRefusalDelay))
        if configuration.partnerConcurrency > 0 { router.middlewares.add(PartnerBulkheadMiddleware(limit: configuration.partnerConcurrency)) }
        router.middlewares.add(AuditMiddleware(store: store))
        router.middlewares.add(DeprecationMiddleware())
        HealthRoutes(store: store, registry: registry).add(to: router)
        ContractRoutes(contract: Contract.bundled, publicURL: publicURL).add(to: router)
        MasterDataRoutes(store: store, service: MasterDataService(store: store), health: health).add(to: router)
        LegalEntityRoutes(store: store, service: MasterDataService(store: store)).add(to: router)
        MasterDataFeedRoutes(store: store, feed: MasterDataFeed(store: store), mappings: configuration.mappings).add(to: router)
        let orders = OrderService(store: store, configuration: configuration.orders, logger: logger)
        OrderRoutes(store: store, service: orders, health: health, maxPendingWrites: configuration.maxPendingWrites).add(to: router)
        SubscriptionRoutes(store: store, mappings: configuration.mappings).add(to: router)
        OrchestrationRoutes(store: store, service: orders).add(to: router)
        ExceptionRoutes(store: store, service: orders).add(to: router)
        InventoryRoutes(store: store, service: InventoryService(store: store)).add(to: router)
        EventRoutes(store: store, mappings: configuration.mappings, publicURL: publicURL).add(to: router)
        DeliveryRoutes(store: store).add(to: router)
        FeedRoutes(feed: CatalogFeed(store: store)).add(to: router)
        PartnerRoutes(store: store, service: PartnerService(store: store)).add(to: router)
        AuditRoutes(store: store).add(to: router)
        RateLimitRoutes(store: store, limiter: limiter).add(to: router)
        WatchdogRoutes(store: store).add(to: router)
        InsightRoutes(store: store).add(to: router)
        ConsoleRoutes(store: store, service: orders, health: health, secureCookie: configuration.tls != nil, mappings: configuration.mappings).add(
            to: router
        )
        EDIRoutes(inbound: EDIInbound(store: store, orders: orders, controlNumbers: controlNumbers, logger: logger)).add(to: router)
        InboundRoutes(
            intake: ChannelIntake(store: store, orders: orders),
            carriers: CarrierIntake(store: store, orders: orders),
            thirdParty: ThirdPartyIntake(store: store, orders: orders)
        ).add(to: router)
        return router
    }

    /// The application: the store's writer and the delivery worker run as services beside the server; on
    /// SIGTERM the server stops first, then the worker finishes in-flight deliveries, then the writer drains.
    public static func application(
        store: any Store,
        configuration: Configuration = .init(),
        registry: PrometheusCollectorRegistry? = nil,
        httpClient: HTTPClient = DeliveryWorker.defaultClient,
        logger: Logger = Logger(label: "crossdock"),
        leadingServices: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let health = DeliveryHealth(maxBacklog: configuration.maxBacklog, breaker: configuration.breaker)
        // One source per hub, so a partner's control numbers increase in the order documents are written.
        let controlNumbers = StoreControlNumberSource(store: store)
        var delivery = configuration.delivery
        if delivery.mappings == nil { delivery.mappings = configuration.mappings }
        let publicURL = PublicURL(configuration.publicURL ?? configuration.boundURL(port: configuration.port))
        if delivery.dataSchema == nil {
            delivery.dataSchema = { type in EventCatalogue.schemaURL(type, baseURL: publicURL.string) }
        }
        let worker = DeliveryWorker(store: store, client: httpClient, configuration: delivery, health: health, logger: logger)
        let routes = router(
            store: store,
            configuration: configuration,
            registry: registry,
            health: health,
            controlNumbers: controlNumbers,
            publicURL: publicURL,
            logger: logger
        )
        var server = HTTPServerBuilder.http1()
        if let tls = configuration.tls {
            // `tls(_:tlsConfiguration:)` only wraps the child channel in a closure: it cannot fail here (an unusable
            // certificate or key is refused when loaded, see ``Hub/tlsConfiguration(certificatePath:keyPath:)``), and
            // falling back to plain HTTP would be wrong, so a failure is a programming error.
            server = try! HTTPServerBuilder.tls(.http1(), tlsConfiguration: tls)
        }
        var app = Application(
            router: routes,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "crossdock"),
            // Jobs that must run once per hub run on one node at a time (a lease in the database picks it).
            // Leading services (the trace exporter) start first and stop last, after every job that makes spans.
            services: leadingServices + [store, worker]
                + (configuration.availability.map {
                    [
                        SingletonService(
                            name: "availability-publisher",
                            store: store,
                            job: AvailabilityPublisher(store: store, configuration: $0, logger: logger)
                        )
                    ]
                } ?? [])
                + (configuration.ediOutbound.map {
                    [
                        SingletonService(
                            name: "edi-outbound",
                            store: store,
                            job: EDIOutbound(store: store, configuration: $0, controlNumbers: controlNumbers, logger: logger)
                        )
                    ]
                } ?? [])
                + (configuration.channelOutbound.map {
                    [SingletonService(name: "channel-outbound", store: store, job: ChannelOutbound(store: store, configuration: $0, logger: logger))]
                } ?? [])
                + (configuration.priceCalendar.map {
                    [SingletonService(name: "price-calendar", store: store, job: PriceCalendar(store: store, configuration: $0, logger: logger))]
                } ?? [])
                + (configuration.watchdogs.map {
                    [SingletonService(name: "watchdogs", store: store, job: Watchdogs(store: store, configuration: $0, logger: logger))]
                } ?? [])
                + (configuration.alerts.map {
                    [SingletonService(name: "alerts", store: store, job: AlertNotifier(store: store, configuration: $0, logger: logger))]
                } ?? [])
                + (configuration.kpiRollup.map {
                    [SingletonService(name: "kpi-rollup", store: store, job: KPIRollupFollower(store: store, configuration: $0, logger: logger))]
                } ?? [])
                // Every node: each reports the database-wide figures (see ``ExceptionGauges``).
                + (configuration.exceptionGauges.map { [ExceptionGauges(store: store, configuration: $0, logger: logger)] } ?? []),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                if configuration.publicURL == nil { publicURL.set(configuration.boundURL(port: port)) }
                await onServerRunning(port)
            },
            logger: logger
        )
        app.logger = logger
        return app
    }

    /// A server TLS configuration from PEM files: the certificate chain (leaf first) and its private key. TLS 1.2 is
    /// the oldest version offered.
    /// - Throws: when a file cannot be read or holds no usable certificate or key.
    public static func tlsConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        // Fails here, not at the first connection, when the key does not match the certificate.
        _ = try NIOSSLContext(configuration: tls)
        return tls
    }
}

extension Hub.Configuration {
    /// The URL of the bound address: `https` when TLS is on.
    func boundURL(port: Int) -> String {
        PublicURL.address(scheme: tls == nil ? "http" : "https", host: host, port: port)
    }
}
