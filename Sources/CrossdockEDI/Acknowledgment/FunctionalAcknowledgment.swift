/// A 997 functional acknowledgment: the answer to one functional group, set by set.
///
/// The hub builds one for each group it receives (``InboundReading/acknowledgment()``) and decodes the partner's
/// (``decode(_:version:)``) to record it against the group we sent, matched on ``groupControlNumber``.
public struct FunctionalAcknowledgment: Hashable, Sendable, Codable {
    /// AK501 / AK901 acknowledgment codes.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// `A`: accepted.
        case accepted = "A"
        /// `E`: accepted, but errors were noted.
        case acceptedWithErrors = "E"
        /// `P`: some sets of the group were accepted (AK901 only).
        case partiallyAccepted = "P"
        /// `R`: rejected.
        case rejected = "R"
        /// `M`: rejected, message authentication code failed.
        case authenticationFailed = "M"
        /// `W`: rejected, assurance failed validity tests.
        case assuranceFailed = "W"
        /// `X`: rejected, content could not be analyzed after decryption.
        case decryptionFailed = "X"

        /// Whether the documents were accepted for processing (`A`, `E`, or `P` for part of them).
        public var isAccepted: Bool { self == .accepted || self == .acceptedWithErrors || self == .partiallyAccepted }
    }

    /// An AK4: one bad data element.
    public struct ElementNote: Hashable, Sendable, Codable {
        /// AK401-1, the element's position in its segment.
        public var position: Int
        /// AK401-2, the component's position in a composite, if any.
        public var componentPosition: Int?
        /// AK402, the data element reference number.
        public var dataElement: Int?
        /// AK403, the error code (`1`...`10`, `12`, `13`).
        public var code: String
        /// AK404, a copy of the bad data.
        public var badValue: String?

        /// Creates a note.
        public init(position: Int, componentPosition: Int? = nil, dataElement: Int? = nil, code: String, badValue: String? = nil) {
            self.position = position
            self.componentPosition = componentPosition
            self.dataElement = dataElement
            self.code = code
            self.badValue = badValue
        }
    }

    /// An AK3 loop: one bad segment and its bad elements.
    public struct SegmentNote: Hashable, Sendable, Codable {
        /// AK301, the segment ID.
        public var segmentID: String
        /// AK302, its position in the set (ST = 1).
        public var position: Int
        /// AK303, the loop identifier, if any.
        public var loopID: String?
        /// AK304, the segment error code (`1`...`8`).
        public var code: String?
        /// Its AK4s.
        public var elements: [ElementNote]

        /// Creates a note.
        public init(segmentID: String, position: Int, loopID: String? = nil, code: String? = nil, elements: [ElementNote] = []) {
            self.segmentID = segmentID
            self.position = position
            self.loopID = loopID
            self.code = code
            self.elements = elements
        }
    }

    /// An AK2 loop: the answer to one transaction set.
    public struct SetResponse: Hashable, Sendable, Codable {
        /// AK201, the set's ST01.
        public var setID: String
        /// AK202, its ST02.
        public var controlNumber: String
        /// AK203, its ST03 (005010 and later).
        public var implementationConventionReference: String?
        /// Its AK3 loops.
        public var segments: [SegmentNote]
        /// AK501.
        public var status: Status
        /// AK502...AK506, set syntax error codes (`1` not supported, `2` trailer missing, `3` control number
        /// mismatch, `4` segment count, `5` segments in error, ...).
        public var codes: [String]

        /// Creates a response.
        public init(
            setID: String,
            controlNumber: String,
            implementationConventionReference: String? = nil,
            segments: [SegmentNote] = [],
            status: Status,
            codes: [String] = []
        ) {
            self.setID = setID
            self.controlNumber = controlNumber
            self.implementationConventionReference = implementationConventionReference
            self.segments = segments
            self.status = status
            self.codes = codes
        }
    }

    /// AK101, the acknowledged group's GS01.
    public var functionalID: String
    /// AK102, the acknowledged group's GS06.
    public var groupControlNumber: Int
    /// AK103, the acknowledged group's GS08 (005010 and later).
    public var version: String?
    /// The AK2 loops, one per acknowledged set.
    public var sets: [SetResponse]
    /// AK901.
    public var status: Status
    /// AK902, sets the group says it includes (GE01).
    public var includedCount: Int
    /// AK903, sets received.
    public var receivedCount: Int
    /// AK904, sets accepted.
    public var acceptedCount: Int
    /// AK905...AK909, group syntax error codes (`1` not supported, `2` version not supported, `3` trailer missing,
    /// `4` control number mismatch, `5` set count, `6` control number syntax).
    public var codes: [String]

    /// Creates an acknowledgment.
    public init(
        functionalID: String,
        groupControlNumber: Int,
        version: String? = nil,
        sets: [SetResponse],
        status: Status,
        includedCount: Int,
        receivedCount: Int,
        acceptedCount: Int,
        codes: [String] = []
    ) {
        self.functionalID = functionalID
        self.groupControlNumber = groupControlNumber
        self.version = version
        self.sets = sets
        self.status = status
        self.includedCount = includedCount
        self.receivedCount = receivedCount
        self.acceptedCount = acceptedCount
        self.codes = codes
    }
}
