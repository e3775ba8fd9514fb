/// Where an order lives in the channel it came from: the partner profile that sent it and the channel's own order
/// id, so status, tracking and credits can be sent back to the same order in the channel's own API.
public struct ChannelReference: Hashable, Sendable, Codable {
    /// The hub's partner id of the channel (the Shopify shop, the Salesforce org, the X12 partner).
    public var partner: String
    /// The channel's own order id (Shopify `order.id`, Salesforce `Order.Id`, the X12 PO number).
    public var orderId: String

    /// Creates a reference.
    /// - Parameters:
    ///   - partner: the partner id.
    ///   - orderId: the channel's order id.
    public init(partner: String, orderId: String) {
        self.partner = partner
        self.orderId = orderId
    }
}

extension ChannelReference: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("orderId", orderId)
            $0.field("partner", partner)
        }
    }
}

extension OrderLine.OrderedUnit: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("baseUnit", baseUnit)
            $0.field("code", code)
            $0.field("quantity", quantity)
        }
    }
}
