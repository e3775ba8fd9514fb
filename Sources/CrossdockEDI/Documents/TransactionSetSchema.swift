/// The structure of a transaction set: which segments and loops may appear, in which order, how often, and the
/// dictionary entries of their segments.
///
/// ``validate(_:)`` walks a set against it and reports every syntax error with its 997 code: unexpected segments (2),
/// missing mandatory segments (3), loops over their maximum (4), segments over their maximum use (5), segments out of
/// place (7) and element errors (8, with the AK403 code).
public struct TransactionSetSchema: Sendable {
    /// One entry of a level: a segment or a loop, whose first node is its trigger segment.
    public indirect enum Node: Sendable {
        /// A segment, mandatory or not, with its maximum use.
        case segment(String, mandatory: Bool, max: Int)
        /// A loop named after its trigger segment, mandatory or not, with its maximum repeat and its nodes.
        case loop(String, mandatory: Bool, max: Int, [Node])

        /// The segment that starts the node.
        var trigger: String {
            switch self {
            case .segment(let id, _, _): id
            case .loop(_, _, _, let nodes): nodes.first?.trigger ?? ""
            }
        }

        var isMandatory: Bool {
            switch self {
            case .segment(_, let mandatory, _), .loop(_, let mandatory, _, _): mandatory
            }
        }

        var max: Int {
            switch self {
            case .segment(_, _, let max), .loop(_, _, let max, _): max
            }
        }

        /// Every segment ID in the node.
        var segmentIDs: Set<String> {
            switch self {
            case .segment(let id, _, _): [id]
            case .loop(_, _, _, let nodes): nodes.reduce(into: []) { $0.formUnion($1.segmentIDs) }
            }
        }
    }

    /// ST01, e.g. `850`.
    public var id: String
    /// The GS01 functional identifier its groups carry, e.g. `PO`.
    public var functionalID: String
    /// The nodes between ST and SE.
    public var nodes: [Node]
    /// Dictionary entries by segment ID; segments without one are only checked for position.
    public var specs: [String: SegmentSpec]

    /// Creates a schema.
    /// - Parameters:
    ///   - id: ST01.
    ///   - functionalID: GS01.
    ///   - nodes: the structure.
    ///   - specs: the segment entries.
    public init(id: String, functionalID: String, nodes: [Node], specs: [SegmentSpec]) {
        self.id = id
        self.functionalID = functionalID
        self.nodes = nodes
        self.specs = Dictionary(specs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// "Unbounded" (`>1`) as a maximum.
    public static let unbounded = Int.max

    /// Every syntax error in `set`, in segment order; empty when the set is valid.
    /// - Parameter set: the transaction set.
    public func validate(_ set: X12TransactionSet) -> [X12SetError] {
        var walker = SchemaWalker(nodes: nodes)
        var errors: [X12SetError] = []
        for (index, segment) in set.segments.enumerated() {
            let position = index + 2
            let outcome = walker.visit(segment.id)
            for missing in outcome.missing {
                errors.append(
                    structural(
                        missing.id,
                        .mandatoryMissing,
                        "mandatory \(missing.id) is missing before \(segment.id)",
                        position,
                        segment,
                        missing.loop
                    )
                )
            }
            switch outcome.result {
            case .matched(let loop):
                if let spec = specs[segment.id] { errors += spec.check(segment, setPosition: position, loopID: loop) }
            case .overMaximum(let loop, let isLoop):
                let code: X12SetError.SegmentCode = isLoop ? .loopOverMaximum : .exceedsMaximumUse
                let what = isLoop ? "the \(segment.id) loop repeats more often" : "\(segment.id) is used more often"
                errors.append(structural(segment.id, code, "\(what) than the standard allows", position, segment, loop))
                if let spec = specs[segment.id] { errors += spec.check(segment, setPosition: position, loopID: loop) }
            case .notFound:
                let known = nodes.contains { $0.segmentIDs.contains(segment.id) }
                let message = known ? "\(segment.id) is not in its defined position" : "\(segment.id) is not part of the \(id) transaction set"
                errors.append(structural(segment.id, known ? .notInDefinedPosition : .unexpected, message, position, segment, nil))
            }
        }
        let sePosition = set.segments.count + 2
        for missing in walker.finish() {
            errors.append(
                X12SetError(
                    code: "segment_mandatory_missing",
                    message: "mandatory \(missing.id) is missing before SE",
                    segmentID: missing.id,
                    setPosition: sePosition,
                    interchangePosition: set.segments.last?.position.map { $0.segment + 1 },
                    loopID: missing.loop,
                    segmentCode: .mandatoryMissing
                )
            )
        }
        return X12SetRejection(errors).errors
    }

    private func structural(
        _ id: String,
        _ code: X12SetError.SegmentCode,
        _ message: String,
        _ position: Int,
        _ segment: X12Segment,
        _ loop: String?
    ) -> X12SetError {
        X12SetError(
            code: "segment_" + String(describing: code).snakeCased,
            message: message,
            segmentID: id,
            setPosition: position,
            interchangePosition: segment.position?.segment,
            loopID: loop,
            segmentCode: code
        )
    }
}
