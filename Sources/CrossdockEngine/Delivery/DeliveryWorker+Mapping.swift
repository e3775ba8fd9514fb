import CrossdockConnectors
import CrossdockStore
import Foundation
import NIOCore

/// A delivery request produced by an outbound mapping.
public struct RenderedBody: Sendable {
    /// The `content-type` header.
    public var contentType: String
    /// The body.
    public var body: [UInt8]
    /// The path appended to the subscription's URL, if the mapping names one.
    public var path: String?

    /// Creates a body.
    public init(contentType: String, body: [UInt8], path: String? = nil) {
        self.contentType = contentType
        self.body = body
        self.path = path
    }
}

extension DeliveryWorker {
    /// The request `mapping` renders from the delivery's event, or nil after dead-lettering the delivery: the same
    /// event renders the same way next time, so it waits for an operator's replay once the mapping is fixed.
    ///
    /// A mapping that uses `$reference` is given the partner's numbers recorded for the event's order by earlier
    /// deliveries of this subscription (the order's deliveries are sent one after the other, so an earlier reply is
    /// always recorded first, and a retry renders the same body).
    func render(_ item: DueDelivery, mapping name: String, lease: DeliveryLease, start: ContinuousClock.Instant) async -> RenderedBody? {
        do {
            guard let mapping = configuration.mappings?[name] else { throw MappingUnavailable(name: name) }
            var references: [String: String] = [:]
            if mapping.usesReferences, let orderID = Self.correlationID(of: item.body) {
                for reference in try await store.externalReferences(orderID: orderID) where reference.partner == item.subscription.id {
                    references[reference.documentType] = reference.number
                }
            }
            let rendered = try mapping.request(event: item.body, references: references)
            return RenderedBody(contentType: rendered.contentType, body: rendered.body, path: rendered.path)
        } catch {
            let failure = DeliveryAttemptResult.failed(
                statusCode: nil,
                error: "mapping \(name): \(error)",
                latency: ContinuousClock.now - start,
                retryAt: nil
            )
            health.finish(item.subscription.endpoint, healthy: true, at: Date())
            metrics.record(.clientError, subscription: item.subscription.id, latency: ContinuousClock.now - start)
            await record(DeliveryAttemptRecord(lease: lease, result: failure, at: Date()))
            return nil
        }
    }

    /// The partner's own number in a 2xx reply to a mapped delivery, recorded against the event's order (its
    /// correlation id): read with the mapping's `reference` templates when it has them, else from a generic
    /// `{"documentNumber": …, "documentType": …}` reply.
    func externalReference(mapping name: String, reply: ByteBuffer, item: DueDelivery, at now: Date) -> ExternalReference? {
        guard let orderID = Self.correlationID(of: item.body) else { return nil }
        if let mapping = configuration.mappings?[name], let found = mapping.reference(reply: Array(reply.readableBytesView), event: item.body) {
            return ExternalReference(
                orderID: orderID,
                partner: item.subscription.id,
                documentType: found.type,
                number: found.number,
                eventID: item.eventID,
                recordedAt: now
            )
        }
        guard reply.readableBytes > 2, reply.readableBytesView.first == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(reply.readableBytesView)) as? [String: Any],
            let number = object["documentNumber"] as? String, !number.isEmpty, number.count <= 128
        else { return nil }
        let cloudEvent = try? JSONSerialization.jsonObject(with: Data(item.body)) as? [String: Any]
        let type = (object["documentType"] as? String) ?? (cloudEvent?["type"] as? String) ?? "document"
        return ExternalReference(
            orderID: orderID,
            partner: item.subscription.id,
            documentType: String(type.prefix(64)),
            number: number,
            eventID: item.eventID,
            recordedAt: now
        )
    }

    /// The `correlationid` of a CloudEvent's JSON.
    static func correlationID(of event: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(event)) as? [String: Any])?["correlationid"] as? String
    }

    /// `url` with `path` appended (one `/` between them).
    static func join(_ url: String, _ path: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) + path : url + path
    }

    struct MappingUnavailable: Error, CustomStringConvertible {
        let name: String
        var description: String { "no mapping named \(name) is loaded" }
    }
}
