import CrossdockStore
import Foundation
import NIOCore

/// A delivery body produced by an outbound mapping.
public struct RenderedBody: Sendable {
    /// The `content-type` header.
    public var contentType: String
    /// The body.
    public var body: [UInt8]

    /// Creates a body.
    public init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
    }
}

extension DeliveryWorker {
    /// The body `mapping` renders from the delivery's event, or nil after dead-lettering the delivery: the same event
    /// renders the same way next time, so it waits for an operator's replay once the mapping is fixed.
    func render(_ item: DueDelivery, mapping: String, lease: DeliveryLease, start: ContinuousClock.Instant) async -> RenderedBody? {
        do {
            guard let render = configuration.render else { throw MappingUnavailable(name: mapping) }
            return try render(mapping, item.body)
        } catch {
            let failure = DeliveryAttemptResult.failed(
                statusCode: nil,
                error: "mapping \(mapping): \(error)",
                latency: ContinuousClock.now - start,
                retryAt: nil
            )
            health.finish(item.subscription.endpoint, healthy: true, at: Date())
            metrics.record(.clientError, subscription: item.subscription.id, latency: ContinuousClock.now - start)
            await record(DeliveryAttemptRecord(lease: lease, result: failure, at: Date()))
            return nil
        }
    }

    /// The partner's own number from a 2xx JSON reply `{"documentNumber": "…", "documentType": "…"}` to a mapped
    /// delivery, recorded against the event's order (its correlation id).
    static func externalReference(reply: ByteBuffer, event: [UInt8], subscription: String, eventID: String, at now: Date) -> ExternalReference? {
        guard reply.readableBytes > 2, reply.readableBytesView.first == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(reply.readableBytesView)) as? [String: Any],
            let number = object["documentNumber"] as? String, !number.isEmpty, number.count <= 128,
            let cloudEvent = try? JSONSerialization.jsonObject(with: Data(event)) as? [String: Any],
            let orderID = cloudEvent["correlationid"] as? String
        else { return nil }
        let type = (object["documentType"] as? String) ?? (cloudEvent["type"] as? String) ?? "document"
        return ExternalReference(
            orderID: orderID,
            partner: subscription,
            documentType: String(type.prefix(64)),
            number: number,
            eventID: eventID,
            recordedAt: now
        )
    }

    struct MappingUnavailable: Error, CustomStringConvertible {
        let name: String
        var description: String { "no mapping named \(name) is loaded" }
    }
}
