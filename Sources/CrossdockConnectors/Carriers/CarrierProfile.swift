/// A carrier or tracking aggregator that posts tracking webhooks to `POST /v1/inbound/carriers/{id}`.
///
/// ```json
/// {"id": "easypost", "format": "easypost", "secret": "…"}
/// ```
public struct CarrierProfile: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A webhook payload format the hub reads.
    public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
        /// EasyPost `Event` objects whose `result` is a `Tracker` (`tracker.created`, `tracker.updated`).
        case easypost
        /// Shippo `track_updated` webhooks.
        case shippo
        /// The hub's own format (see ``GenericTracking``), for carriers and 3PLs without a webhook of their own.
        case generic

        /// The header carrying the signature: `X-Hmac-Signature`, `Shippo-Auth-Signature`, `X-Crossdock-Signature`.
        public var signatureHeader: String {
            switch self {
            case .easypost: "X-Hmac-Signature"
            case .shippo: "Shippo-Auth-Signature"
            case .generic: "X-Crossdock-Signature"
            }
        }
    }

    /// The path segment and name, e.g. `easypost`.
    public var id: String
    /// The payload format.
    public var format: Format
    /// The webhook signing secret; nil when the partner does not sign (then only the route's API key protects it).
    public var secret: String?

    /// Creates a profile.
    /// - Parameters:
    ///   - id: the path segment and name.
    ///   - format: the payload format.
    ///   - secret: the signing secret, if any.
    public init(id: String, format: Format, secret: String? = nil) {
        self.id = id
        self.format = format
        self.secret = secret
    }

    /// `CarrierProfile(easypost, easypost)`; never the secret.
    public var description: String { "CarrierProfile(\(id), \(format.rawValue))" }
}
