import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Metrics
import Tracing

/// Order intake and the warehouse feedback that advances orders: commands in, events out.
public struct OrderService: Sendable {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Accepted distance between a channel's price and the list price, in basis points (default 100 = 1 %).
        public var priceToleranceBasisPoints: Int64
        /// How often a command is re-decided after a guard conflict before answering 503.
        public var maxAttempts: Int

        /// Creates a configuration.
        public init(priceToleranceBasisPoints: Int64 = 100, maxAttempts: Int = 12) {
            self.priceToleranceBasisPoints = priceToleranceBasisPoints
            self.maxAttempts = maxAttempts
        }
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    private let intakeTimer = Timer(label: "crossdock.engine.intake.duration")

    /// Creates the service.
    /// - Parameters:
    ///   - store: where state lives.
    ///   - configuration: tunables.
    ///   - logger: where to log.
    ///   - now: the clock.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "crossdock.engine"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Creates an order: validates, checks credit, allocates, releases, all in one commit with its events and the
    /// operations exceptions intake raised (a channel price beyond the tolerance, channel totals that differ).
    /// - Parameters:
    ///   - request: the order.
    ///   - idempotency: the request's key, if any.
    ///   - inbound: the channel message the order came in, kept with the order (its `orderID` is filled in).
    /// - Returns: 201 with the order (also for rejected and held orders, which are recorded with their reasons).
    /// - Throws: ``EngineError`` for invalid requests (nothing is written), duplicates and reused keys.
    public func submit(_ request: OrderRequest, idempotency: IdempotencyContext?, inbound: InboundMessage? = nil) async throws -> Reply {
        try await withSpan("order.submit") { span in
            span.attributes["crossdock.channel"] = request.channel
            let start = ContinuousClock.now
            defer { intakeTimer.record(since: start) }
            let commandID = IDs.make()
            let orderID = IDs.make()
            // The intake snapshot reads the idempotency key with everything else the decision needs.
            let reply = try await runner.run(idempotency: idempotency, attemptReadsKey: true) {
                var (unit, reply) = try await decide(request, idempotency: idempotency, orderID: orderID, commandID: commandID)
                if var inbound {
                    inbound.orderID = orderID
                    unit.inboundMessages = [inbound]
                }
                return (unit, reply)
            }
            span.attributes["crossdock.order.id"] = orderID
            return reply
        }
    }

    /// Reads the snapshot and decides the order: the unit to commit and the 201 reply. Throws the request's error
    /// (invalid, duplicate) or ``RecordedReply`` when its idempotency key was already answered.
    private func decide(
        _ request: OrderRequest,
        idempotency: IdempotencyContext?,
        orderID: String,
        commandID: String
    ) async throws -> (UnitOfWork, Reply) {
        let snapshot = try await store.intakeSnapshot(
            customerID: request.customerID,
            skus: request.lines.map(\.sku),
            channel: request.channel,
            externalID: request.externalID,
            idempotency: idempotency.map { ($0.scope, $0.key) }
        )
        if let idempotency, let record = snapshot.idempotencyRecord {
            throw RecordedReply(reply: try Idempotency.replay(record, for: idempotency))
        }
        do {
            try OrderIntake.check(request, customer: snapshot.customer, products: snapshot.products)
        } catch let error as IntakeError {
            throw EngineError(.invalid, code: "invalid_order", message: error.message, errors: error.errors)
        }
        guard let customer = snapshot.customer, let priceList = snapshot.priceList else {
            throw EngineError(
                .invalid,
                code: "invalid_order",
                message: "customer \(request.customerID) has no price list",
                errors: [.init(field: "customerId", reason: "the customer's price list does not exist")]
            )
        }
        if let existing = snapshot.existingOrderID {
            // The same request sent twice at once (to two nodes) may find the other's order committed after the
            // snapshot read the idempotency key: read the key again, so the retry replays the first answer.
            if let idempotency, let record = try await store.idempotencyRecord(scope: idempotency.scope, key: idempotency.key) {
                throw RecordedReply(reply: try Idempotency.replay(record, for: idempotency))
            }
            throw duplicate(request, existing: existing)
        }
        var context = OrderIntake.Context(
            customer: customer,
            openOrders: snapshot.openOrders ?? .zero(customer.creditLimit.currency),
            products: snapshot.products,
            priceList: priceList,
            // The customer's legal entity charges tax by its own rules when it has them.
            taxRates: snapshot.legalEntity?.taxRates(or: snapshot.taxRates) ?? snapshot.taxRates,
            warehouses: snapshot.warehouses,
            balances: snapshot.balances,
            priceToleranceBasisPoints: configuration.priceToleranceBasisPoints
        )
        context.regionPreferences = try await store.regionPreferences()
        if customer.allowSubstitution {
            // Substitutes are allocated from their own balances.
            let substitutes = Set(snapshot.products.values.flatMap { $0.substitutes.map(\.sku) }).subtracting(snapshot.products.keys)
            for sku in substitutes.sorted() { context.balances += try await store.balances(sku: sku) }
        }
        context.promise = try await promises(for: request, balances: snapshot.balances)
        let decision = OrderIntake.decide(request, context: context, orderID: orderID, commandID: commandID, now: now(), makeID: IDs.make)
        let document = try JSONCoding.encode(decision.order)
        let reply = Reply(status: 201, body: Array(document), location: "/v1/orders/\(orderID)")
        var unit = UnitOfWork()
        unit.orders = [.init(decision.order, expectedVersion: nil, document: document)]
        unit.inventory = decision.inventory
        unit.creditReservations = decision.creditReserved.map { [CreditReservation(customerID: customer.id, amount: $0)] } ?? []
        unit.fulfillments = decision.fulfillmentOrders.map { .init($0, expectedVersion: nil) }
        unit.events = decision.events
        unit.exceptions = decision.exceptions.map { .init($0, expectedVersion: nil) }
        return (unit, reply)
    }

    /// The backorder promise function for `request`: projected ATP is read only when some SKU is short now.
    private func promises(
        for request: OrderRequest,
        balances: [InventoryBalance]
    ) async throws -> @Sendable (String, Int, String?) -> String? {
        var wanted: [String: Int] = [:]
        for line in request.lines { wanted[line.sku, default: 0] += line.quantity }
        let short = wanted.filter { sku, quantity in
            balances.filter { $0.sku == sku }.reduce(0) { $0 + $1.availableToPromise } < quantity
        }
        guard !short.isEmpty else { return { _, _, _ in nil } }
        let today = BusinessDay(containing: now())
        var schedules: [String: ATPSchedule] = [:]
        for sku in short.keys { schedules[sku] = try await reader.schedule(sku: sku, balances: balances.filter { $0.sku == sku }, today: today) }
        return AllocationReader.promise(from: schedules)
    }

    var reader: AllocationReader { AllocationReader(store: store, now: now) }
    var runner: CommandRunner { CommandRunner(store: store, maxAttempts: configuration.maxAttempts, now: now) }

    private func duplicate(_ request: OrderRequest, existing: String) -> EngineError {
        EngineError(
            .conflict,
            code: "duplicate_order",
            message: "channel '\(request.channel)' already sent order '\(request.externalID)'",
            errors: [.init(field: "externalId", reason: "already used by order \(existing)")],
            extra: ["existingOrderId": existing]
        )
    }
}

/// Encodes a value with the hub's JSON conventions.
func encode(_ value: some Encodable) throws -> [UInt8] {
    Array(try JSONCoding.encode(value))
}
