/// Every logging metadata key the hub uses, in one place, namespaced `crossdock.` (or `sandbox.` for the
/// simulated partners). The domain logs nothing itself; the keys live here because every layer can see them.
public enum LogKey {
    /// The database a store opened (`sqlite:PATH`).
    public static let database = "crossdock.db"
    /// A failure's description (never a payload or a secret).
    public static let error = "crossdock.error"
    /// A guard conflict that was not expected.
    public static let conflict = "crossdock.conflict"
    /// A delivery id.
    public static let delivery = "crossdock.delivery"
    /// A subscription id.
    public static let subscription = "crossdock.subscription"
    /// The API key id a request authenticated with.
    public static let apiKey = "crossdock.key"
    /// The request id (`X-Request-Id`).
    public static let requestID = "crossdock.request_id"
    /// The HTTP status a sandbox partner received.
    public static let sandboxStatus = "sandbox.status"
    /// The start of a body a sandbox partner received.
    public static let sandboxBody = "sandbox.body"
    /// A sandbox partner's failure.
    public static let sandboxError = "sandbox.error"
    /// An event id.
    public static let event = "crossdock.event"
    /// An event type.
    public static let eventType = "crossdock.event_type"
    /// A partner id.
    public static let partner = "crossdock.partner"
    /// A business reference (PO number, shipment, invoice).
    public static let reference = "crossdock.reference"
    /// The id (fingerprint) of the key stored secrets are encrypted with; never the key.
    public static let secretKey = "crossdock.secret_key"
}
