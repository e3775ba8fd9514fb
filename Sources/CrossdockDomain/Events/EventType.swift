/// A canonical event type.
///
/// Naming rule: `com.crossdock.<aggregate>.<verb in the past tense>.v<schema version>`, e.g.
/// `com.crossdock.order.received.v1`. The short name (`order.received`) is what subscriptions filter on;
/// the schema version increases only on a breaking change of the `data` payload, and both versions are
/// then published side by side until subscribers move.
public struct EventType: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The short name, `<aggregate>.<verb>`.
    public let name: String
    /// The payload schema version.
    public let schemaVersion: Int

    /// Creates a type.
    public init(_ name: String, version: Int = 1) {
        self.name = name
        self.schemaVersion = version
    }

    /// The CloudEvents `type` attribute.
    public var qualifiedName: String { "com.crossdock.\(name).v\(schemaVersion)" }

    /// Parses a qualified name back into a type; nil unless it is `com.crossdock.<name>.v<digits ≥ 1>`.
    public init?(qualifiedName: String) {
        let prefix = "com.crossdock."
        guard qualifiedName.hasPrefix(prefix) else { return nil }
        let rest = qualifiedName.dropFirst(prefix.count)
        guard let dot = rest.lastIndex(of: "."), dot > rest.startIndex else { return nil }
        let name = rest[rest.startIndex..<dot]
        let version = rest[rest.index(after: dot)...]
        guard version.first == "v", version.count > 1, version.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(version.dropFirst()), number >= 1, !name.hasPrefix("."), !name.hasSuffix(".")
        else { return nil }
        self.init(String(name), version: number)
    }

    public var description: String { qualifiedName }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let type = EventType(qualifiedName: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad event type"))
        }
        self = type
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(qualifiedName)
    }
}

extension EventType {
    public static let customerUpserted = EventType("customer.upserted")
    public static let productUpserted = EventType("product.upserted")
    public static let warehouseUpserted = EventType("warehouse.upserted")
    public static let priceListUpserted = EventType("price_list.upserted")
    public static let taxRateUpserted = EventType("tax_rate.upserted")
    public static let legalEntityUpserted = EventType("legal_entity.upserted")
    public static let inventoryAdjusted = EventType("inventory.adjusted")
    public static let orderReceived = EventType("order.received")
    public static let orderValidated = EventType("order.validated")
    public static let orderRejected = EventType("order.rejected")
    public static let orderOnHold = EventType("order.on_hold")
    public static let orderAccepted = EventType("order.accepted")
    public static let orderAllocated = EventType("order.allocated")
    public static let orderBackordered = EventType("order.backordered")
    public static let orderReleased = EventType("order.released")
    public static let orderStatusChanged = EventType("order.status_changed")
    /// The order closed: everything settled and its return window past (``OrderClosing``).
    public static let orderClosed = EventType("order.closed")
    public static let fulfillmentReleased = EventType("fulfillment.released")
    public static let fulfillmentPicked = EventType("fulfillment.picked")
    public static let fulfillmentShortPicked = EventType("fulfillment.short_picked")
    public static let fulfillmentClosed = EventType("fulfillment.closed")
    public static let shipmentShipped = EventType("shipment.shipped")
    public static let orderHoldReleased = EventType("order.hold_released")
    public static let orderLineSubstituted = EventType("order.line_substituted")
    public static let orderCancelRequested = EventType("order.cancel_requested")
    public static let orderCancelled = EventType("order.cancelled")
    public static let orderCancelRefused = EventType("order.cancel_refused")
    public static let fulfillmentCancelRequested = EventType("fulfillment.cancel_requested")
    public static let fulfillmentCancelled = EventType("fulfillment.cancelled")
    public static let fulfillmentCancelRefused = EventType("fulfillment.cancel_refused")
    public static let shipmentLabelCreated = EventType("shipment.label_created")
    public static let shipmentInTransit = EventType("shipment.in_transit")
    public static let shipmentOutForDelivery = EventType("shipment.out_for_delivery")
    public static let shipmentDelivered = EventType("shipment.delivered")
    public static let shipmentException = EventType("shipment.exception")
    public static let shipmentExceptionResolved = EventType("shipment.exception_resolved")
    public static let invoicePosted = EventType("invoice.posted")
    public static let returnAuthorized = EventType("return.authorized")
    public static let returnReceived = EventType("return.received")
    public static let returnClosed = EventType("return.closed")
    public static let creditMemoIssued = EventType("credit_memo.issued")
    public static let inventoryReceiptScheduled = EventType("inventory.receipt_scheduled")
    public static let inventoryAvailabilityChanged = EventType("inventory.availability_changed")
    /// An outbound partner document (X12 interchange) was written and is on its way (`data.document` holds it).
    public static let ediDocumentIssued = EventType("edi.document_issued")
    /// A partner's functional acknowledgment (997) for our documents arrived.
    public static let ediDocumentAcknowledged = EventType("edi.document_acknowledged")
    /// What the channel an order came from should now know about it (status, promise dates, a shipment with its
    /// tracking, a delivery, a cancellation, a credit), with the channel's own ids (``ChannelOrderUpdate``).
    public static let channelOrderUpdated = EventType("channel.order_updated")
    /// A SKU's price on a price list changed (``PriceChangedData``), one event per SKU.
    public static let priceListPriceChanged = EventType("price_list.price_changed")
    /// A customer was put on or taken off credit hold, or blocked or unblocked (``CreditStatusChangedData``).
    public static let customerCreditStatusChanged = EventType("customer.credit_status_changed")

    /// A watchdog raised an operations exception (`data` is the exception).
    public static let exceptionRaised = EventType("exception.raised")
    /// An operations exception was resolved: by a person (`POST /v1/exceptions/{id}/resolve`) or by its watchdog when
    /// the late fact arrived (resolution `automatic`, `note` the reason). `data` is the exception.
    public static let exceptionResolved = EventType("exception.resolved")
    /// An operations exception was assigned to someone (`data` is the exception with its activity).
    public static let exceptionAssigned = EventType("exception.assigned")
    /// Someone commented on an operations exception (`data` is the exception with its activity).
    public static let exceptionCommented = EventType("exception.commented")
    /// Operations resolved an exception by telling the customer; the channel relays the message.
    public static let exceptionCustomerNotified = EventType("exception.customer_notified")
    /// A replacement order ships a lost or damaged shipment's units again.
    public static let orderReshipped = EventType("order.reshipped")
    /// An alert route is told that operations exceptions of one kind are open (new ones, or a reminder)
    /// (``AlertData``). Delivered only to the route it names (its subject is `alert/{route}/{kind}`).
    public static let alertFiring = EventType("alert.firing")
    /// An alert route is told that exceptions it was alerted about are resolved (``AlertData``).
    public static let alertResolved = EventType("alert.resolved")

    /// Every type the hub publishes today.
    public static let catalogue: [EventType] = [
        .customerUpserted, .productUpserted, .warehouseUpserted, .priceListUpserted, .taxRateUpserted, .legalEntityUpserted,
        .inventoryAdjusted, .orderReceived, .orderValidated, .orderRejected, .orderOnHold, .orderAccepted,
        .orderAllocated, .orderBackordered, .orderReleased, .orderStatusChanged, .fulfillmentReleased,
        .fulfillmentPicked, .fulfillmentShortPicked, .fulfillmentClosed, .shipmentShipped, .orderHoldReleased,
        .orderLineSubstituted, .orderCancelRequested, .orderCancelled, .orderCancelRefused, .fulfillmentCancelRequested,
        .fulfillmentCancelled, .fulfillmentCancelRefused, .shipmentLabelCreated, .shipmentInTransit, .shipmentOutForDelivery,
        .shipmentDelivered, .shipmentException, .shipmentExceptionResolved, .invoicePosted, .returnAuthorized, .returnReceived,
        .returnClosed, .creditMemoIssued, .inventoryReceiptScheduled, .inventoryAvailabilityChanged, .ediDocumentIssued,
        .ediDocumentAcknowledged, .channelOrderUpdated, .priceListPriceChanged, .customerCreditStatusChanged,
        .orderClosed, .exceptionRaised, .exceptionResolved, .exceptionAssigned, .exceptionCommented,
        .exceptionCustomerNotified, .orderReshipped, .alertFiring, .alertResolved,
    ]
}
