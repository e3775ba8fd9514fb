import CrossdockDomain
import Foundation

/// Whether a channel's own copy of an order says what the hub says: the checks the demo and the tests run after
/// everything settled. Each function returns the differences, one sentence each; empty when the channel's copy
/// matches.
public enum ChannelMirror {
    /// The Shopify shop's order against the hub's: per line item the units fulfilled, cancelled and refunded (with
    /// those restocked by returns), the fulfillments' tracking numbers and delivered ones, the cancellation, the
    /// credited amount and the `crossdock.status` metafield.
    public static func shopDifferences(order: SalesOrder, shipments: [Shipment], creditMemos: [CreditMemo], shop: ShopState.Order?) -> [String] {
        guard let shop else { return ["the shop has no order \(order.channelRef?.orderId ?? "?")"] }
        var differences: [String] = []
        func check<T: Equatable>(_ what: String, shop: T, hub: T) {
            if shop != hub { differences.append("\(what): shop \(shop), hub \(hub)") }
        }
        let gone = order.status == .cancelled || order.status == .rejected
        let returned = returnedUnits(creditMemos)
        for line in order.lines {
            guard let id = line.channelLineRef.flatMap(Int64.init), let item = shop.lineItems.first(where: { $0.id == id }) else {
                differences.append("line \(line.lineNo) has no line item in the shop")
                continue
            }
            check("line \(line.lineNo) fulfilled", shop: item.fulfilled, hub: line.partnerQuantity(line.shipped).quantity)
            check("line \(line.lineNo) cancelled", shop: item.cancelled, hub: gone ? item.quantity - item.fulfilled : line.cancelled + line.rejected)
            check("line \(line.lineNo) refunded", shop: item.refunded, hub: line.credited)
            check("line \(line.lineNo) returned", shop: item.returned, hub: returned[line.lineNo, default: 0])
        }
        let hubTracking = Set(shipments.flatMap { $0.packages.map(\.trackingNumber) })
        check("tracking numbers", shop: Set(shop.fulfillments.flatMap(\.trackingNumbers)), hub: hubTracking)
        let delivered = Set(shipments.filter { order.shipments[$0.id] == .delivered }.flatMap { $0.packages.map(\.trackingNumber) })
        check(
            "delivered tracking numbers",
            shop: Set(shop.fulfillments.filter { $0.shipmentStatus == "delivered" }.flatMap(\.trackingNumbers)),
            hub: delivered
        )
        check("cancelled", shop: shop.cancelledAt != nil, hub: gone)
        check("credited", shop: shop.creditedAmount, hub: creditMemos.reduce(0) { $0 + $1.total.minorUnits })
        check("status metafield", shop: shop.metafields["crossdock.status"] ?? "none", hub: order.status.rawValue)
        return differences
    }

    /// The Salesforce org's Order against the hub's: the hub status on the Order, every OrderItem's shipped,
    /// cancelled, backordered and returned quantities and status, one Shipment per hub shipment with its tracking
    /// numbers and delivery, and the credited amount.
    public static func crmDifferences(order: SalesOrder, shipments: [Shipment], creditMemos: [CreditMemo], crm: CRMState) -> [String] {
        guard let id = order.channelRef?.orderId, let copy = crm.orders[id] else { return ["the org has no Order for \(order.id)"] }
        var differences: [String] = []
        func check<T: Equatable>(_ what: String, crm: T, hub: T) {
            if crm != hub { differences.append("\(what): org \(crm), hub \(hub)") }
        }
        check("status", crm: copy.hubStatus ?? "none", hub: order.status.rawValue)
        for line in order.lines {
            guard let itemID = line.channelLineRef, let item = copy.items[itemID] else {
                differences.append("line \(line.lineNo) has no OrderItem in the org")
                continue
            }
            check("line \(line.lineNo) status", crm: item.status ?? "none", hub: line.status.rawValue)
            check("line \(line.lineNo) shipped", crm: item.shipped, hub: line.shipped)
            check("line \(line.lineNo) cancelled", crm: item.cancelled, hub: line.cancelled)
            check("line \(line.lineNo) backordered", crm: item.backordered, hub: line.backordered)
            check("line \(line.lineNo) returned", crm: item.returned, hub: line.returned)
        }
        let records = crm.shipments.values.filter { $0.orderID == id }
        check("shipments", crm: Set(records.map(\.hubShipmentID)), hub: Set(shipments.map(\.id)))
        for shipment in shipments {
            guard let record = crm.shipments[shipment.id] else { continue }
            check("shipment \(shipment.id) tracking", crm: Set(record.trackingNumbers), hub: Set(shipment.packages.map(\.trackingNumber)))
            check("shipment \(shipment.id) delivered", crm: record.deliveredAt != nil, hub: order.shipments[shipment.id] == .delivered)
        }
        check("credited", crm: copy.creditedAmount, hub: creditMemos.reduce(0) { $0 + $1.total.minorUnits })
        return differences
    }

    /// Units credited by returns (restocked), per order line.
    static func returnedUnits(_ memos: [CreditMemo]) -> [Int: Int] {
        var units: [Int: Int] = [:]
        for memo in memos where memo.reason == .return {
            for line in memo.lines { units[line.lineNo, default: 0] += line.quantity }
        }
        return units
    }
}
