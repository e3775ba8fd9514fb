import Foundation

/// Allocates an order's open units and releases what it reserved: the step shared by intake, hold release,
/// stock arrival (backorder fill) and short-pick remainders. Pure.
public enum OrderAllocation {
    /// What one allocation run changed besides the order.
    public struct Result: Sendable {
        /// Reservations made.
        public var inventory: [InventoryChange] = []
        /// The plan's allocations.
        public var allocations: [Allocator.Allocation] = []
        /// Fulfilment orders released.
        public var fulfillmentOrders: [FulfillmentOrder] = []
    }

    /// The `data` of `order.line_substituted`.
    public struct SubstitutionData: Hashable, Sendable, Codable {
        public var orderId: String
        public var lineNo: Int
        public var fromSku: String
        public var toSku: String
        public var quantity: Int
        /// How the substitute is priced: at the ordered item's price.
        public var priceRule: String

        /// Creates the data.
        public init(orderId: String, lineNo: Int, fromSku: String, toSku: String, quantity: Int, priceRule: String) {
            self.orderId = orderId
            self.lineNo = lineNo
            self.fromSku = fromSku
            self.toSku = toSku
            self.quantity = quantity
            self.priceRule = priceRule
        }
    }

    /// Allocates the open units of `order`'s lines (all, or those in `lines`) and releases them at once.
    /// - Parameters:
    ///   - order: the order; its buckets, promise dates, reasons and fulfilment order ids are updated.
    ///   - context: stock and rules.
    ///   - lines: restricts the run to these line numbers.
    ///   - excludingWarehouse: a warehouse not to use (the one that just reported a short pick).
    ///   - now: the time of the change.
    ///   - recorder: where events go.
    ///   - makeID: ids for fulfilment orders.
    public static func run(
        _ order: inout SalesOrder,
        context: AllocationContext,
        lines: Set<Int>? = nil,
        excludingWarehouse: String? = nil,
        now: Date,
        recorder: inout EventRecorder,
        makeID: @escaping @Sendable () -> String
    ) -> Result {
        var result = Result()
        let candidates = order.lines.filter { $0.open > 0 && (lines?.contains($0.lineNo) ?? true) }
        guard !candidates.isEmpty else { return result }
        var substitutes: [String: [String]] = [:]
        if context.allowSubstitution {
            for line in candidates where !line.isSubstituted {
                let listed = context.products[line.sku]?.substitutes.sorted { ($0.priority, $0.sku) < ($1.priority, $1.sku) } ?? []
                if !listed.isEmpty { substitutes[line.sku] = listed.map(\.sku) }
            }
        }
        let warehouses = context.warehouses.filter { $0.id != excludingWarehouse }
        let plan = Allocator.allocate(
            candidates.map { Allocator.Demand(lineNo: $0.lineNo, sku: $0.sku, quantity: $0.open) },
            warehouses: warehouses,
            balances: context.balances,
            policy: order.shipPolicy,
            preferred: context.regionPreferences[order.shipTo.address.region] ?? [],
            substitutes: substitutes
        )
        for (lineNo, sku) in plan.substitutions.sorted(by: { $0.key < $1.key }) {
            let index = order.lines.firstIndex { $0.lineNo == lineNo }!
            let from = order.lines[index].sku
            order.lines[index].sku = sku
            recorder.record(
                .orderLineSubstituted,
                subject: order.id,
                at: now,
                SubstitutionData(
                    orderId: order.id,
                    lineNo: lineNo,
                    fromSku: from,
                    toSku: sku,
                    quantity: order.lines[index].open,
                    priceRule: "ordered_item_price"
                )
            )
        }
        for allocation in plan.allocations {
            let index = order.lines.firstIndex { $0.lineNo == allocation.lineNo }!
            order.lines[index].open -= allocation.quantity
            order.lines[index].allocated += allocation.quantity
            order.lines[index].warehouseQuantities[allocation.warehouseID, default: 0] += allocation.quantity
            result.inventory.append(.reserve(allocation.quantity, of: allocation.sku, in: allocation.warehouseID))
        }
        let today = max(context.today, order.requestedDate ?? context.today)
        for line in candidates {
            let index = order.lines.firstIndex { $0.lineNo == line.lineNo }!
            let shortfall = plan.shortfalls[line.lineNo] ?? 0
            order.lines[index].backordered = shortfall
            order.lines[index].promisedDate =
                shortfall == 0 ? today : context.promise(order.lines[index].sku, shortfall, order.requestedDate)
        }
        order.reasons = order.reasons.filter { $0.code != "backordered" && $0.code != "substituted" }
        for line in order.lines where line.isSubstituted {
            order.reasons.append(.init(code: "substituted", message: "\(line.sku) ships in place of \(line.orderedSKU)", lineNo: line.lineNo))
        }
        for line in order.lines where line.backordered > 0 {
            let promise = line.promisedDate.map { " (promised \($0))" } ?? ""
            order.reasons.append(.init(code: "backordered", message: "\(line.backordered) unit(s) wait for stock\(promise)", lineNo: line.lineNo))
        }
        result.allocations = plan.allocations
        if order.status == .accepted {
            // Intake and hold release record the allocation outcome before the release.
            order.transition(to: plan.allocations.isEmpty ? .backordered : plan.isComplete ? .allocated : .partiallyAllocated, at: now)
        }
        if !plan.allocations.isEmpty {
            recorder.record(.orderAllocated, subject: order.id, at: now, OrderEventData(order, allocations: plan.allocations))
        }
        if !plan.isComplete {
            recorder.record(.orderBackordered, subject: order.id, at: now, OrderEventData(order))
        }
        result.fulfillmentOrders = release(
            &order,
            allocations: plan.allocations,
            warehouses: context.warehouses,
            now: now,
            recorder: &recorder,
            makeID: makeID
        )
        return result
    }

    /// Releases allocated units: one fulfilment order per warehouse, in warehouse priority order.
    static func release(
        _ order: inout SalesOrder,
        allocations: [Allocator.Allocation],
        warehouses: [Warehouse],
        now: Date,
        recorder: inout EventRecorder,
        makeID: @escaping @Sendable () -> String
    ) -> [FulfillmentOrder] {
        guard !allocations.isEmpty else { return [] }
        let priority = Dictionary(warehouses.map { ($0.id, $0.priority) }, uniquingKeysWith: { first, _ in first })
        let byWarehouse = Dictionary(grouping: allocations, by: \.warehouseID)
        let warehouseIDs = byWarehouse.keys.sorted { (priority[$0] ?? .max, $0) < (priority[$1] ?? .max, $1) }
        var result: [FulfillmentOrder] = []
        for warehouseID in warehouseIDs {
            var quantities: [Int: (String, Int)] = [:]
            for allocation in byWarehouse[warehouseID]! {
                quantities[allocation.lineNo, default: (allocation.sku, 0)].1 += allocation.quantity
            }
            let lines = quantities.keys.sorted().map { FulfillmentOrder.Line(lineNo: $0, sku: quantities[$0]!.0, quantity: quantities[$0]!.1) }
            let fulfillment = FulfillmentOrder(
                id: makeID(),
                orderID: order.id,
                warehouseID: warehouseID,
                lines: lines,
                shipTo: order.shipTo,
                requestedDate: order.requestedDate,
                releasedAt: now
            )
            order.fulfillmentOrderIDs.append(fulfillment.id)
            recorder.record(.fulfillmentReleased, subject: fulfillment.id, at: now, fulfillment)
            result.append(fulfillment)
        }
        for index in order.lines.indices {
            order.lines[index].released += order.lines[index].allocated
            order.lines[index].allocated = 0
        }
        return result
    }
}
