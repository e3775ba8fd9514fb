import CrossdockDomain
import Foundation

/// How a stored event becomes a CloudEvent, the same for every backend: the feed's values and the webhook body.
enum EventEnvelope {
    /// The CloudEvents `source` of every event the hub emits.
    static let source = "/crossdock/hub"

    /// The stored columns of one event.
    struct Stored {
        var sequence: Int64
        var id: String
        var type: String
        var subject: String
        var time: String
        var correlationID: String
        var causationID: String?
        var data: Data
        /// The W3C traceparent of the request that appended it, if one was traced.
        var traceparent: String?
    }

    /// The event as a value (for the feed); its data decoded.
    static func cloudEvent(_ stored: Stored) throws -> CloudEvent {
        guard let type = EventType(qualifiedName: stored.type), let time = JSONCoding.parse(stored.time) else {
            throw StoreError(code: .corrupt, message: "event \(stored.sequence) has a bad type or time")
        }
        return CloudEvent(
            id: stored.id,
            source: source,
            type: type,
            subject: stored.subject,
            time: time,
            sequence: stored.sequence,
            correlationID: stored.correlationID,
            causationID: stored.causationID,
            data: try JSONCoding.decoder().decode(JSONValue.self, from: stored.data),
            traceparent: stored.traceparent
        )
    }

    /// The event as a webhook body: CloudEvents JSON with the stored payload spliced in unparsed.
    static func body(_ stored: Stored) throws -> [UInt8] {
        guard let type = EventType(qualifiedName: stored.type) else {
            throw StoreError(code: .corrupt, message: "event \(stored.sequence) has a bad type")
        }
        var writer = JSONWriter()
        writer.object {
            $0.field("causationid", stored.causationID)
            $0.field("correlationid", stored.correlationID)
            $0.raw("data", stored.data)
            $0.field("datacontenttype", "application/json")
            $0.field("id", stored.id)
            $0.field("schemaversion", String(type.schemaVersion))
            $0.field("sequence", String(stored.sequence))
            $0.field("source", source)
            $0.field("specversion", "1.0")
            $0.field("subject", stored.subject)
            $0.field("time", stored.time)
            $0.field("traceparent", stored.traceparent)
            $0.field("type", stored.type)
        }
        return writer.bytes
    }

    /// The ordering key of an event for a subscription: its subject or its correlation id.
    static func orderingKey(_ subscription: Subscription, subject: String, correlationID: String) -> String {
        subscription.settings.orderingKey == .subject ? subject : correlationID
    }

    /// Whether `subscription` wants an event of qualified `type` whose `data` is given (decoded only when the
    /// subscription filters on attributes).
    ///
    /// An alert (`alert.*`) is addressed to one route by its subject (``AlertData/subject(route:kind:)``): only that
    /// subscription receives it, and only if it subscribes to the type.
    static func wants(_ subscription: Subscription, type: String, subject: String, data: () -> Data) -> Bool {
        let name = EventType(qualifiedName: type)?.name ?? type
        if name.hasPrefix(AlertData.typePrefix) {
            return subject.hasPrefix(AlertData.subjectPrefix(route: subscription.id)) && subscription.matches(name)
        }
        guard subscription.settings.alert == nil, subscription.matches(name) else { return false }
        guard !subscription.settings.attributes.isEmpty else { return true }
        let value = (try? JSONCoding.decoder().decode(JSONValue.self, from: data())) ?? .null
        return subscription.matches(attributes: EventAttributes.of(value))
    }
}
