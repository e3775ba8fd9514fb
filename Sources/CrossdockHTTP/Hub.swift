import AsyncHTTPClient
import CrossdockConnectors
import CrossdockEngine
import CrossdockStore
import Hummingbird
import Logging
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
        /// The follower that publishes `channel.order_updated` for orders from Shopify shops and Salesforce orgs; nil
        /// turns it off.
        public var channelOutbound: ChannelOutbound.Configuration? = .init()
        /// The service that publishes prices whose dates begin or end each day; nil turns it off.
        public var priceCalendar: PriceCalendar.Configuration? = .init()

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
        controlNumbers: StoreControlNumberSource? = nil
    ) -> Router<CrossdockContext> {
        let controlNumbers = controlNumbers ?? StoreControlNumberSource(store: store)
        let health = health ?? DeliveryHealth(maxBacklog: configuration.maxBacklog, breaker: configuration.breaker)
        let router = Router(context: CrossdockContext.self)
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(TracingMiddleware())
        router.middlewares.add(LogRequestsMiddleware(.debug))
        router.middlewares.add(AuthMiddleware(store: store))
        HealthRoutes(store: store, registry: registry).add(to: router)
        MasterDataRoutes(store: store, service: MasterDataService(store: store), health: health).add(to: router)
        let orders = OrderService(store: store, configuration: configuration.orders)
        OrderRoutes(store: store, service: orders, health: health, maxPendingWrites: configuration.maxPendingWrites).add(to: router)
        SubscriptionRoutes(store: store).add(to: router)
        OrchestrationRoutes(store: store, service: orders).add(to: router)
        InventoryRoutes(store: store, service: InventoryService(store: store)).add(to: router)
        EventRoutes(store: store, mappings: configuration.mappings).add(to: router)
        DeliveryRoutes(store: store).add(to: router)
        FeedRoutes(feed: CatalogFeed(store: store)).add(to: router)
        PartnerRoutes(store: store, service: PartnerService(store: store)).add(to: router)
        EDIRoutes(inbound: EDIInbound(store: store, orders: orders, controlNumbers: controlNumbers)).add(to: router)
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
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let health = DeliveryHealth(maxBacklog: configuration.maxBacklog, breaker: configuration.breaker)
        // One source per hub, so a partner's control numbers increase in the order documents are written.
        let controlNumbers = StoreControlNumberSource(store: store)
        var delivery = configuration.delivery
        if delivery.mappings == nil { delivery.mappings = configuration.mappings }
        let worker = DeliveryWorker(store: store, client: httpClient, configuration: delivery, health: health)
        var app = Application(
            router: router(store: store, configuration: configuration, registry: registry, health: health, controlNumbers: controlNumbers),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "crossdock"),
            services: [store, worker]
                + (configuration.availability.map { [AvailabilityPublisher(store: store, configuration: $0, logger: logger)] } ?? [])
                + (configuration.ediOutbound.map { [EDIOutbound(store: store, configuration: $0, controlNumbers: controlNumbers, logger: logger)] }
                    ?? [])
                + (configuration.channelOutbound.map { [ChannelOutbound(store: store, configuration: $0, logger: logger)] } ?? [])
                + (configuration.priceCalendar.map { [PriceCalendar(store: store, configuration: $0, logger: logger)] } ?? []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        app.logger = logger
        return app
    }
}
