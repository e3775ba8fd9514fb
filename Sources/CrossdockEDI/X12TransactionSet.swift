/// A transaction set: the ST header's fields and the segments between ST and SE (neither included).
public struct X12TransactionSet: Hashable, Sendable {
    /// ST01, transaction set identifier code, e.g. `850`.
    public var id: String
    /// ST02, transaction set control number (4 to 9 characters).
    public var controlNumber: String
    /// ST03, implementation convention reference (005010 and later), if present.
    public var implementationConventionReference: String?
    /// The segments after ST and before SE.
    public var segments: [X12Segment]

    /// Creates a transaction set.
    /// - Parameters:
    ///   - id: ST01.
    ///   - controlNumber: ST02.
    ///   - implementationConventionReference: ST03, if any.
    ///   - segments: the body segments.
    public init(id: String, controlNumber: String, implementationConventionReference: String? = nil, segments: [X12Segment]) {
        self.id = id
        self.controlNumber = controlNumber
        self.implementationConventionReference = implementationConventionReference
        self.segments = segments
    }
}
