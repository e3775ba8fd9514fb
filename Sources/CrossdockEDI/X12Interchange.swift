/// A parsed X12 interchange: the ISA header, its interchange acknowledgments (TA1) and its functional groups. Values
/// only: it does not keep the delimiters it was read with, so any ``X12Serializer`` can write it.
public struct X12Interchange: Hashable, Sendable {
    /// The ISA fields.
    public var header: X12InterchangeHeader
    /// TA1 segments, which stand between the ISA and the first GS (``InterchangeAcknowledgment`` reads them).
    public var acknowledgments: [X12Segment]
    /// The functional groups, in order.
    public var groups: [X12FunctionalGroup]

    /// Creates an interchange.
    /// - Parameters:
    ///   - header: the ISA fields.
    ///   - acknowledgments: TA1 segments; none by default.
    ///   - groups: the functional groups.
    public init(header: X12InterchangeHeader, acknowledgments: [X12Segment] = [], groups: [X12FunctionalGroup]) {
        self.header = header
        self.acknowledgments = acknowledgments
        self.groups = groups
    }

    /// Every transaction set, group by group.
    public var transactionSets: [X12TransactionSet] { groups.flatMap(\.transactionSets) }
}
