import Foundation

/// An event about to be appended to the log. The log assigns its sequence number at commit.
public struct EventDraft: Hashable, Sendable {
    /// Stable event id (CloudEvents `id`); deliveries and replays keep it.
    public var id: String
    /// The type.
    public var type: EventType
    /// The aggregate id (CloudEvents `subject`).
    public var subject: String
    /// When the change happened.
    public var time: Date
    /// The business flow it belongs to (the order id for order flows).
    public var correlationID: String
    /// The command or event that caused it.
    public var causationID: String?
    /// The JSON payload.
    public var data: Data

    /// Creates a draft, encoding `payload` as JSON.
    /// - Parameters:
    ///   - id: the event id.
    ///   - type: the event type.
    ///   - subject: the aggregate id.
    ///   - time: when it happened.
    ///   - correlationID: the flow id.
    ///   - causationID: what caused it.
    ///   - payload: the data, encoded with ``JSONCoding/encoder()``.
    public init(
        id: String,
        type: EventType,
        subject: String,
        time: Date,
        correlationID: String,
        causationID: String?,
        payload: some Encodable
    ) {
        self.id = id
        self.type = type
        self.subject = subject
        self.time = time
        self.correlationID = correlationID
        self.causationID = causationID
        // Encoding our own value types cannot fail; a failure is a programming error.
        self.data = try! JSONCoding.encode(payload)
    }
}

/// Collects the events of one command, chaining causation and sharing the correlation id.
public struct EventRecorder: Sendable {
    private let makeID: @Sendable () -> String
    /// The flow id every event carries.
    public let correlationID: String
    /// The events so far.
    public private(set) var events: [EventDraft] = []
    private var lastID: String?

    /// Creates a recorder.
    /// - Parameters:
    ///   - correlationID: the flow id.
    ///   - causationID: the command that starts the chain.
    ///   - makeID: a source of unique ids.
    public init(correlationID: String, causationID: String?, makeID: @escaping @Sendable () -> String) {
        self.correlationID = correlationID
        self.lastID = causationID
        self.makeID = makeID
    }

    /// Appends an event caused by the previous one.
    public mutating func record(_ type: EventType, subject: String, at time: Date, _ payload: some Encodable) {
        let draft = EventDraft(
            id: makeID(),
            type: type,
            subject: subject,
            time: time,
            correlationID: correlationID,
            causationID: lastID,
            payload: payload
        )
        lastID = draft.id
        events.append(draft)
    }
}
