import Foundation

/// The message a channel sent that created an order, as the hub received it: kept beside the order (written in the
/// order's own commit), so its trace shows the partner's payload and how the hub authenticated it. An X12 order's
/// message is not stored again: its trace builds one from the interchange the EDI intake keeps.
public struct InboundMessage: Hashable, Sendable, Codable {
    /// The order it created.
    public var orderID: String
    /// The order's channel (`shopify`, `salesforce`, `edi`).
    public var channel: String
    /// The partner that sent it (the shop's or org's id in the partner registry).
    public var partner: String
    /// When the hub received it.
    public var receivedAt: Date
    /// How the hub authenticated it: the signature it verified, or the API key that carried it.
    public var authentication: String
    /// The partner's id for the message (Shopify's `X-Shopify-Webhook-Id`), if it gave one.
    public var messageID: String?
    /// The body's media type.
    public var contentType: String
    /// The body as received (UTF-8), cut to ``maxStoredBytes``.
    public var body: String
    /// The body's size as received, in bytes.
    public var bodyBytes: Int

    /// The most of a body that is kept.
    public static let maxStoredBytes = 65_536

    /// Creates a record; `body` is cut to ``maxStoredBytes`` (at a character boundary).
    public init(
        orderID: String = "",
        channel: String,
        partner: String,
        receivedAt: Date,
        authentication: String,
        messageID: String? = nil,
        contentType: String = "application/json",
        body: [UInt8]
    ) {
        self.orderID = orderID
        self.channel = channel
        self.partner = partner
        self.receivedAt = receivedAt
        self.authentication = authentication
        self.messageID = messageID
        self.contentType = contentType
        self.bodyBytes = body.count
        let kept = String(decoding: body.prefix(Self.maxStoredBytes), as: UTF8.self)
        // A multi-byte character cut in half decodes as U+FFFD at the end: drop it.
        self.body = body.count > Self.maxStoredBytes && kept.hasSuffix("\u{FFFD}") ? String(kept.dropLast()) : kept
    }

    enum CodingKeys: String, CodingKey {
        case orderID = "orderId"
        case channel, partner, receivedAt, authentication
        case messageID = "messageId"
        case contentType, body, bodyBytes
    }

    /// Whether ``body`` is only the beginning of what was received.
    public var isTruncated: Bool { body.utf8.count < bodyBytes }
}
