import Foundation

extension ChannelOrderUpdate {
    /// The hub event an update answers, reduced to what the update needs.
    public enum Trigger: Hashable, Sendable {
        /// A status change (`accepted`, `on_hold`, `rejected`, `backordered`, `status`, `returned`).
        case status(Change)
        /// A shipment left.
        case shipped(shipmentID: String)
        /// A shipment was delivered.
        case delivered(shipmentID: String)
        /// Units were cancelled.
        case cancelled(CancellationData)
        /// A credit memo was issued.
        case credited(CreditMemo)

        /// The event types a channel hears about: ``init(type:subject:data:)`` answers nil for every other.
        public static let eventTypes: [EventType] = [
            .orderAccepted, .orderOnHold, .orderRejected, .orderBackordered, .orderStatusChanged, .shipmentException,
            .returnReceived, .shipmentShipped, .shipmentDelivered, .orderCancelled, .creditMemoIssued,
        ]

        /// The trigger of a hub event, or nil for events a channel does not hear about.
        /// - Parameters:
        ///   - type: the short event type (`shipment.shipped`).
        ///   - subject: the event's subject (the shipment id of shipment events).
        ///   - data: the event's `data` as JSON.
        public init?(type: String, subject: String, data: Data) {
            switch type {
            case EventType.orderAccepted.name: self = .status(.accepted)
            case EventType.orderOnHold.name: self = .status(.onHold)
            case EventType.orderRejected.name: self = .status(.rejected)
            case EventType.orderBackordered.name: self = .status(.backordered)
            case EventType.orderStatusChanged.name, EventType.shipmentException.name: self = .status(.status)
            case EventType.returnReceived.name: self = .status(.returned)
            case EventType.shipmentShipped.name: self = .shipped(shipmentID: subject)
            case EventType.shipmentDelivered.name: self = .delivered(shipmentID: subject)
            case EventType.orderCancelled.name:
                guard let cancellation = try? JSONCoding.decoder().decode(CancellationData.self, from: data) else { return nil }
                self = .cancelled(cancellation)
            case EventType.creditMemoIssued.name:
                guard let memo = try? JSONCoding.decoder().decode(CreditMemo.self, from: data) else { return nil }
                self = .credited(memo)
            default: return nil
            }
        }

        /// What changed.
        public var change: Change {
            switch self {
            case .status(let change): change
            case .shipped: .shipped
            case .delivered: .delivered
            case .cancelled: .cancelled
            case .credited: .credited
            }
        }
    }

    /// Builds the update of `order` for `trigger`. Pure.
    /// - Parameters:
    ///   - order: the order as it stands.
    ///   - channel: the order's channel reference; nil (no update) for orders that did not come from a channel.
    ///   - shipments: the order's shipments.
    ///   - creditMemos: the order's credit memos.
    ///   - trigger: what happened.
    /// - Returns: the update, or nil when the order has no channel reference or the trigger names a shipment the
    ///   order does not have.
    public static func make(order: SalesOrder, shipments: [Shipment], creditMemos: [CreditMemo], trigger: Trigger) -> ChannelOrderUpdate? {
        guard let reference = order.channelRef else { return nil }
        let lines = Dictionary(order.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { first, _ in first })
        func quantity(_ lineNo: Int, _ units: Int, amount: Money? = nil) -> LineQuantity {
            LineQuantity(
                lineNo: lineNo,
                channelLineId: lines[lineNo]?.channelLineRef,
                sku: lines[lineNo]?.sku ?? "",
                quantity: units,
                channelQuantity: lines[lineNo]?.partnerQuantity(units).quantity ?? units,
                amount: amount
            )
        }
        let infos = shipments.sorted { ($0.shippedAt, $0.id) < ($1.shippedAt, $1.id) }.map { shipment in
            ShipmentInfo(
                shipmentId: shipment.id,
                warehouseId: shipment.warehouseID,
                carrier: shipment.carrier,
                service: shipment.service,
                trackingNumbers: shipment.packages.map(\.trackingNumber).filter { !$0.isEmpty }.uniqued(),
                shippedAt: shipment.shippedAt,
                status: (order.shipments[shipment.id] ?? .inTransit).rawValue,
                deliveredAt: shipment.tracking.deliveredAt,
                lines: shipment.quantitiesByLine.sorted { $0.key < $1.key }.map { quantity($0.key, $0.value) }
            )
        }
        var update = ChannelOrderUpdate(
            partner: reference.partner,
            channel: order.channel,
            orderId: order.id,
            channelOrderId: reference.orderId,
            customerId: order.customerID,
            customerPo: order.customerPO,
            change: trigger.change,
            status: order.status,
            orderVersion: order.version,
            promisedDate: order.lines.filter { $0.backordered > 0 }.compactMap(\.promisedDate).max(),
            reasons: order.reasons,
            total: order.total,
            shipping: order.shipping,
            credited: creditMemos.reduce(.zero(order.currency)) { $0 + $1.total },
            lines: order.lines.map { line in
                Line(
                    lineNo: line.lineNo,
                    channelLineId: line.channelLineRef,
                    sku: line.sku,
                    orderedSku: line.orderedSKU,
                    quantity: line.quantity,
                    orderedUnit: line.orderedUnit,
                    shipped: line.shipped,
                    cancelled: line.cancelled,
                    rejected: line.rejected,
                    backordered: line.backordered,
                    unshipped: line.live - line.shipped,
                    returned: line.returned,
                    credited: line.credited,
                    promisedDate: line.live > line.shipped ? line.promisedDate : nil,
                    status: line.status,
                    unitPrice: line.unitPrice
                )
            },
            shipments: infos
        )
        switch trigger {
        case .status(.rejected):
            // A rejected order is gone for the channel: it cancels it (with nothing to refund from the hub's side).
            update.cancellation = Cancellation(
                wholeOrder: true,
                reason: order.reasons.map(\.code).joined(separator: ", "),
                lines: order.lines.filter { $0.rejected > 0 }.map { quantity($0.lineNo, $0.rejected) },
                amount: .zero(order.currency)
            )
        case .status: break
        case .shipped(let id), .delivered(let id):
            guard let info = infos.first(where: { $0.shipmentId == id }) else { return nil }
            update.shipment = info
        case .cancelled(let cancellation):
            let amounts = cancellation.lines.map { item -> LineQuantity in
                let extended = (lines[item.lineNo]?.unitPrice.minorUnits ?? 0) * Int64(item.quantity)
                return quantity(
                    item.lineNo,
                    item.quantity,
                    amount: Money(extended + extended.scaled(by: order.taxRatePPM, over: 1_000_000), order.currency)
                )
            }
            update.cancellation = Cancellation(
                wholeOrder: order.lines.allSatisfy { $0.shipped == 0 && $0.live == 0 },
                reason: cancellation.reason,
                lines: amounts,
                amount: amounts.reduce(.zero(order.currency)) { $0 + ($1.amount ?? .zero(order.currency)) }
            )
        case .credited(let memo):
            update.credit = Credit(
                creditMemoId: memo.id,
                number: memo.number,
                reason: memo.reason.rawValue,
                restock: memo.reason == .return,
                total: memo.total,
                lines: memo.lines.map { quantity($0.lineNo, $0.quantity, amount: $0.extended + $0.tax) }
            )
        }
        return update
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
