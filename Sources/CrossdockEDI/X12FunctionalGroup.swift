/// A functional group: the GS header's fields and the transaction sets between GS and GE.
public struct X12FunctionalGroup: Hashable, Sendable {
    /// GS01, functional identifier code, e.g. `PO` (850), `SH` (856), `IN` (810), `FA` (997).
    public var functionalIdentifierCode: String
    /// GS02, application sender's code.
    public var applicationSenderCode: String
    /// GS03, application receiver's code.
    public var applicationReceiverCode: String
    /// GS04, date, `CCYYMMDD` (`YYMMDD` in versions before 004010).
    public var date: String
    /// GS05, time, `HHMM`, `HHMMSS` or with decimal seconds (4 to 8 digits).
    public var time: String
    /// GS06, group control number (1 to 9 digits).
    public var controlNumber: Int
    /// GS07, responsible agency code: `X` (ASC X12) or `T` (TDCC).
    public var responsibleAgencyCode: String
    /// GS08, version / release / industry identifier code, e.g. `004010`, `004010VICS`, `005010X230`.
    public var version: String
    /// The transaction sets, in order.
    public var transactionSets: [X12TransactionSet]

    /// Creates a group.
    /// - Parameters:
    ///   - functionalIdentifierCode: GS01.
    ///   - applicationSenderCode: GS02.
    ///   - applicationReceiverCode: GS03.
    ///   - date: GS04.
    ///   - time: GS05.
    ///   - controlNumber: GS06.
    ///   - responsibleAgencyCode: GS07, `X` by default.
    ///   - version: GS08, `004010` by default.
    ///   - transactionSets: the sets.
    public init(
        functionalIdentifierCode: String,
        applicationSenderCode: String,
        applicationReceiverCode: String,
        date: String,
        time: String,
        controlNumber: Int,
        responsibleAgencyCode: String = "X",
        version: String = "004010",
        transactionSets: [X12TransactionSet]
    ) {
        self.functionalIdentifierCode = functionalIdentifierCode
        self.applicationSenderCode = applicationSenderCode
        self.applicationReceiverCode = applicationReceiverCode
        self.date = date
        self.time = time
        self.controlNumber = controlNumber
        self.responsibleAgencyCode = responsibleAgencyCode
        self.version = version
        self.transactionSets = transactionSets
    }
}
