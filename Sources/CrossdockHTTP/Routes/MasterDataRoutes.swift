import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Customers, products, warehouses, price lists, tax rates and inventory.
struct MasterDataRoutes {
    let store: any Store
    let service: MasterDataService
    /// Endpoint health, to mark the figures of unreachable warehouses stale.
    let health: DeliveryHealth

    func add(to router: RouteTable) {
        router.put("/v1/customers/:id") { request, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .customerID)
            let body = try await JSONBody<CustomerBody>.read(request, schema: RequestSchemas.customer).value
            var errors: [IntakeError.FieldError] = []
            errors.check(body.id != nil && body.id != id, "id", "must match the path")
            errors += body.problems
            try throwIfAny(errors)
            let customer = body.customer(id: id)
            try throwIfAny(try await LegalEntityRoutes.problems(of: customer, in: store))
            try await noteChanges(of: customer) {
                // Receivables the body omits are kept: the entry shows the stored figure, unchanged.
                guard let stored = try await store.customer(id) else { return (nil, customer) }
                var kept = customer
                if body.openBalance == nil { kept.openBalance = stored.openBalance }
                return (stored, kept)
            }
            return Response.reply(try await service.put(customer, keepingOpenBalance: body.openBalance == nil))
        }
        router.get("/v1/customers/:id") { _, context in
            _ = try context.require(.masterRead)
            let id = try pathParameter(context, "id", .customerID)
            guard let customer = try await store.customer(id) else { throw notFound("customer", id) }
            return try Response.json(customer)
        }
        router.get("/v1/customers/:id/standing") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id", .customerID)
            guard let standing = try await store.creditStanding(id) else { throw notFound("customer", id) }
            return try Response.json(standing)
        }
        router.put("/v1/products/:sku") { request, context in
            _ = try context.require(.masterWrite)
            let sku = try pathParameter(context, "sku", .sku)
            let body = try await JSONBody<ProductBody>.read(request, schema: RequestSchemas.product).value
            var errors: [IntakeError.FieldError] = []
            errors.check(body.sku != nil && body.sku != sku, "sku", "must match the path")
            errors += body.problems(sku: sku)
            try throwIfAny(errors)
            let product = body.product(sku: sku)
            try await noteChanges(of: product) { (try await store.product(sku), product) }
            return Response.reply(try await service.put(product))
        }
        router.get("/v1/products/:sku") { _, context in
            _ = try context.require(.masterRead)
            let sku = try pathParameter(context, "sku", .sku)
            guard let product = try await store.product(sku) else { throw notFound("product", sku) }
            return try Response.json(product)
        }
        router.put("/v1/warehouses/:id") { request, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .warehouseID)
            let body = try await JSONBody<WarehouseBody>.read(request, schema: RequestSchemas.warehouse).value
            var errors: [IntakeError.FieldError] = []
            errors.check(body.id != nil && body.id != id, "id", "must match the path")
            errors += body.problems
            try throwIfAny(errors)
            let warehouse = body.warehouse(id: id)
            try await noteChanges(of: warehouse) { (try await store.warehouses().first { $0.id == id }, warehouse) }
            return Response.reply(try await service.put(warehouse))
        }
        router.get("/v1/warehouses") { _, context in
            _ = try context.require(.masterRead)
            return try Response.json(try await store.warehouses())
        }
        router.put("/v1/price-lists/:id") { request, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .priceListID)
            let body = try await JSONBody<PriceListBody>.read(request, schema: RequestSchemas.priceList).value
            var errors: [IntakeError.FieldError] = []
            errors.check(body.id != nil && body.id != id, "id", "must match the path")
            errors += body.problems
            try throwIfAny(errors)
            let list = body.priceList(id: id)
            try await noteChanges(of: list) { (try await store.priceList(id), list) }
            return Response.reply(try await service.put(list))
        }
        router.put("/v1/tax-rates/:region") { request, context in
            _ = try context.require(.masterWrite)
            let region = try pathParameter(context, "region", .region)
            let body = try await JSONBody<TaxRateBody>.read(request, schema: RequestSchemas.taxRate).value
            try throwIfAny(body.ratePpm < 0 || body.ratePpm > 1_000_000 ? [.init(field: "ratePpm", reason: "must be 0...1000000")] : [])
            return Response.reply(try await service.putTaxRate(region: region, ratePPM: body.ratePpm))
        }
        router.post("/v1/inventory/adjustments") { request, context in
            _ = try context.require(.inventoryWrite)
            let body = try await JSONBody<MasterDataService.Adjustment>.read(request, schema: RequestSchemas.adjustment)
            return Response.reply(try await service.adjust(body.value, idempotency: try request.idempotency(context, body: body.bytes)))
        }
        router.get("/v1/inventory/availability") { request, context in
            _ = try context.require(.ordersRead)
            guard let sku = request.uri.queryParameters.get("sku"), !sku.isEmpty else {
                throw Problem.invalidQuery("sku", "is required")
            }
            guard try await store.product(sku) != nil else { throw notFound("product", sku) }
            let balances = try await store.balances(sku: sku)
            var availability = Availability(sku: sku, balances: balances)
            let projected = try await InventoryService(store: store).projectedAvailability(sku: sku)
            availability.byDate = projected.network.periods
            for index in availability.warehouses.indices {
                availability.warehouses[index].byDate = projected.warehouses[availability.warehouses[index].warehouseId]?.periods ?? []
            }
            // A warehouse whose endpoint is unreachable (circuit open) has not heard of recent releases: its
            // figures are the hub's, possibly stale, and say since when.
            let now = Date()
            for subscription in try await store.subscriptions() {
                guard let warehouse = subscription.settings.attributes["warehouse"],
                    let since = health.unreachableSince(subscription.endpoint, at: now),
                    let index = availability.warehouses.firstIndex(where: { $0.warehouseId == warehouse })
                else { continue }
                let age = Int(now.timeIntervalSince(since))
                availability.warehouses[index].stale = true
                availability.warehouses[index].staleSeconds = max(availability.warehouses[index].staleSeconds ?? 0, age)
            }
            return try Response.json(availability)
        }
    }
}

/// Available-to-promise of one SKU per warehouse and in total.
struct Availability: Encodable {
    struct Row: Encodable {
        var warehouseId: String
        var onHand: Int
        var reserved: Int
        var safetyStock: Int
        var availableToPromise: Int
        /// Projected ATP of this warehouse by date (its stock and open receipts).
        var byDate: [ATPSchedule.Period] = []
        /// Whether the warehouse's endpoint is unreachable (its circuit is open), so these figures may be stale.
        var stale = false
        /// Seconds since the endpoint became unreachable.
        var staleSeconds: Int?
    }

    var sku: String
    var availableToPromise: Int
    var warehouses: [Row]
    /// Projected network ATP by date: periods start today and at each receipt date; `cumulative` is what can be
    /// promised for a date in the period (docs/promising.md).
    var byDate: [ATPSchedule.Period] = []

    init(sku: String, balances: [InventoryBalance]) {
        self.sku = sku
        warehouses = balances.map {
            Row(
                warehouseId: $0.warehouseID,
                onHand: $0.onHand,
                reserved: $0.reserved,
                safetyStock: $0.safetyStock,
                availableToPromise: $0.availableToPromise
            )
        }
        availableToPromise = warehouses.reduce(0) { $0 + $1.availableToPromise }
    }
}

/// Notes the top-level fields a master-data write changes, for its audit entry: `compare` reads the stored record and
/// answers it with the record as it will be stored. Reads nothing when the request is not audited.
func noteChanges<T: Encodable>(of record: T, _ compare: () async throws -> (before: T?, after: T)) async throws {
    guard AuditContext.current != nil else { return }
    let (before, after) = try await compare()
    AuditContext.note(changes: try FieldChange.diff(before: before, after: after))
}

func notFound(_ kind: String, _ id: String) -> Problem {
    Problem(status: .notFound, code: "not_found", title: "Not found", detail: "\(kind) '\(id)' does not exist")
}

func throwIfAny(_ errors: [IntakeError.FieldError]) throws(Problem) {
    guard errors.isEmpty else { throw invalidFields(errors) }
}

/// 422 `invalid_fields` naming each of `errors`.
func invalidFields(_ errors: [IntakeError.FieldError]) -> Problem {
    Problem(
        status: .unprocessableContent,
        code: "invalid_fields",
        title: "Invalid fields",
        detail: "the body has \(errors.count) invalid field(s)",
        errors: errors
    )
}
