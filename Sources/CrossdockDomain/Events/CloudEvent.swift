import Foundation

/// A committed event in CloudEvents 1.0 JSON form, with the hub's extensions.
public struct CloudEvent: Hashable, Sendable, Codable {
    /// CloudEvents spec version, always `1.0`.
    public var specversion: String = "1.0"
    /// Event id.
    public var id: String
    /// The producing hub, e.g. `/crossdock/hub`.
    public var source: String
    /// Qualified type, see ``EventType``.
    public var type: String
    /// Aggregate id.
    public var subject: String
    /// RFC 3339 time.
    public var time: Date
    /// Always `application/json`.
    public var datacontenttype: String = "application/json"
    /// The URL of the JSON Schema of `data` (`<hub>/v1/event-types/<type>`); set when the event is served or
    /// delivered, since it names the hub's address.
    public var dataschema: String?
    /// Log sequence number as a decimal string (CloudEvents sequence extension).
    public var sequence: String
    /// Flow id extension.
    public var correlationid: String
    /// Causing event or command id extension.
    public var causationid: String?
    /// Payload schema version extension.
    public var schemaversion: String
    /// The payload.
    public var data: JSONValue
    /// The W3C trace context of the request that caused the event (the CloudEvents distributed tracing extension),
    /// when traces are exported.
    public var traceparent: String?

    /// Creates an event.
    public init(
        id: String,
        source: String,
        type: EventType,
        subject: String,
        time: Date,
        sequence: Int64,
        correlationID: String,
        causationID: String?,
        data: JSONValue,
        traceparent: String? = nil
    ) {
        self.id = id
        self.source = source
        self.type = type.qualifiedName
        self.subject = subject
        self.time = time
        self.sequence = String(sequence)
        self.correlationid = correlationID
        self.causationid = causationID
        self.schemaversion = String(type.schemaVersion)
        self.data = data
        self.traceparent = traceparent
    }

    /// The short event type name (`order.received`).
    public var shortType: String { EventType(qualifiedName: type)?.name ?? type }
}
