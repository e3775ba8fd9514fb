/// A parsed X12 interchange: the ISA header and its functional groups. Values only: it does not keep the delimiters
/// it was read with, so any ``X12Serializer`` can write it.
public struct X12Interchange: Hashable, Sendable {
    /// The ISA fields.
    public var header: X12InterchangeHeader
    /// The functional groups, in order.
    public var groups: [X12FunctionalGroup]

    /// Creates an interchange.
    /// - Parameters:
    ///   - header: the ISA fields.
    ///   - groups: the functional groups.
    public init(header: X12InterchangeHeader, groups: [X12FunctionalGroup]) {
        self.header = header
        self.groups = groups
    }

    /// Every transaction set, group by group.
    public var transactionSets: [X12TransactionSet] { groups.flatMap(\.transactionSets) }
}
