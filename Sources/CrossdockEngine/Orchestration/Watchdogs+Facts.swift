import CrossdockDomain
import CrossdockStore
import Foundation

extension Watchdogs {
    /// How many of a channel's latest orders give its usual gap.
    static let arrivalsPerChannel = 20

    /// The facts the rules judge: every candidate the store finds by status or date, plus the subject of every open
    /// watchdog exception (so that one whose fact arrived is seen and resolved).
    func facts(at: Date, deadlines: WatchdogDeadlines, open: [OperationsException]) async throws -> WatchdogFacts {
        var facts = WatchdogFacts()
        facts.fulfillments = try await fulfillments(at: at, deadlines: deadlines, open: open)
        facts.shipments = try await shipments(open: open)
        facts.documents = try await documents(open: open)
        facts.backorders = try await backorders(at: at, open: open)
        facts.channels = try await store.channelArrivals(perChannel: Self.arrivalsPerChannel)
            .map { WatchdogFacts.ChannelActivity(channel: $0.key, arrivals: $0.value) }
            .sorted { $0.channel < $1.channel }
        return facts
    }

    /// Released fulfilment orders, with the 997 of their 940 when an X12 3PL acknowledged it (looked up only for those
    /// past their deadline, since the others are not late either way).
    func fulfillments(at: Date, deadlines: WatchdogDeadlines, open: [OperationsException]) async throws -> [WatchdogFacts.Fulfillment] {
        var orders = try await store.releasedFulfillments(limit: configuration.limit)
        let known = Set(orders.map(\.id))
        for id in Set(open.filter { $0.kind == .fulfillmentUnacknowledged }.compactMap(\.fulfillmentOrderID)).subtracting(known).sorted() {
            if let order = try await store.fulfillment(id) { orders.append(order) }
        }
        var result: [WatchdogFacts.Fulfillment] = []
        for order in orders {
            var acknowledgedAt: Date?
            let due = order.releasedAt.addingTimeInterval(deadlines.fulfillmentAcknowledgement(warehouse: order.warehouseID))
            if order.status == .released, at >= due {
                acknowledgedAt = try await store.ediDocuments(orderID: order.orderID)
                    .first {
                        $0.direction == .outbound && $0.transactionSet == "940" && $0.reference == order.id && $0.status.hasPrefix("acknowledged")
                    }?
                    .acknowledgedAt
            }
            result.append(.init(order: order, acknowledgedAt: acknowledgedAt))
        }
        return result
    }

    /// Shipments of the orders with goods on the road, and those of open shipment exceptions.
    func shipments(open: [OperationsException]) async throws -> [Shipment] {
        var shipments: [String: Shipment] = [:]
        for status in [OrderStatus.partiallyShipped, .shipped, .deliveryException] {
            for order in try await orders(status) {
                for shipment in try await store.shipments(orderID: order.id) where order.shipments[shipment.id] == .inTransit {
                    shipments[shipment.id] = shipment
                }
            }
        }
        for exception in open where exception.kind == .shipmentSilent || exception.kind == .shipmentOverdue {
            guard let id = exception.shipmentID, shipments[id] == nil, let shipment = try await store.shipment(id) else { continue }
            shipments[id] = shipment
        }
        return shipments.values.sorted { $0.id < $1.id }
    }

    /// Outbound documents without their 997 or rejected by it, and those of open EDI exceptions.
    func documents(open: [OperationsException]) async throws -> [WatchdogFacts.OutboundDocument] {
        var records = try await store.unacknowledgedDocuments(limit: configuration.limit)
        let known = Set(records.map(\.id))
        let watched = open.filter { $0.kind == .ediUnacknowledged || $0.kind == .ediRejected }.compactMap(\.documentID)
        for id in Set(watched).subtracting(known).sorted() {
            if let record = try await store.ediDocument(id) { records.append(record) }
        }
        return records.compactMap { record in
            guard let status = WatchdogFacts.OutboundDocument.Status(rawValue: record.status) else { return nil }
            return WatchdogFacts.OutboundDocument(
                id: record.id,
                partnerID: record.partnerID,
                transactionSet: record.transactionSet,
                orderID: record.orderID,
                reference: record.reference,
                status: status,
                detail: record.detail,
                createdAt: record.createdAt,
                acknowledgedAt: record.acknowledgedAt
            )
        }
    }

    /// Backordered lines promised for today or earlier, with their SKUs' past-due receipts, and the lines of open
    /// backorder exceptions.
    func backorders(at: Date, open: [OperationsException]) async throws -> [WatchdogFacts.Backorder] {
        let today = BusinessDay(containing: at)
        var lines: [String: Set<Int>] = [:]
        for exception in open where exception.kind == .backorderOverdue {
            if let lineNo = exception.lineNo { lines[exception.orderID, default: []].insert(lineNo) }
        }
        var result: [WatchdogFacts.Backorder] = []
        var lateReceipts: [String: [ScheduledReceipt]] = [:]
        let ids = try await store.backorderedOrderIDs(promisedBefore: today.advanced(by: 1).description, limit: configuration.limit)
        for id in Set(ids).union(lines.keys).sorted() {
            guard let order = try await store.order(id) else { continue }
            for line in order.lines where line.backordered > 0 || lines[id]?.contains(line.lineNo) == true {
                if lateReceipts[line.sku] == nil {
                    lateReceipts[line.sku] = try await store.receipts(sku: line.sku).filter { $0.remaining > 0 && $0.expectedDate < today }
                }
                result.append(.init(orderID: order.id, channel: order.channel, line: line, lateReceipts: lateReceipts[line.sku] ?? []))
            }
        }
        return result
    }

    /// Every order in `status`, newest first.
    func orders(_ status: OrderStatus) async throws -> [SalesOrder] {
        var result: [SalesOrder] = []
        var cursor: Int64?
        repeat {
            let page = try await store.orders(OrderQuery(status: status, afterCursor: cursor, limit: 500))
            result += page.orders
            cursor = page.next
        } while cursor != nil && result.count < configuration.limit
        return result
    }
}
