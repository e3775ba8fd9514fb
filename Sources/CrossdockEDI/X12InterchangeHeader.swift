/// The ISA interchange control header, as values: IDs and information fields are trimmed of their fixed-width padding.
///
/// ISA11 and ISA16 are not here: they are delimiters (``X12Delimiters``), or `U` for versions before 00402.
public struct X12InterchangeHeader: Hashable, Sendable {
    /// ISA01, authorization information qualifier (`00` for none).
    public var authorizationQualifier: String
    /// ISA02, authorization information, trimmed (empty for none).
    public var authorizationInformation: String
    /// ISA03, security information qualifier (`00` for none).
    public var securityQualifier: String
    /// ISA04, security information, trimmed (empty for none).
    public var securityInformation: String
    /// ISA05, interchange sender ID qualifier, e.g. `ZZ`.
    public var senderQualifier: String
    /// ISA06, interchange sender ID, trimmed.
    public var senderID: String
    /// ISA07, interchange receiver ID qualifier.
    public var receiverQualifier: String
    /// ISA08, interchange receiver ID, trimmed.
    public var receiverID: String
    /// ISA09, interchange date, `YYMMDD`.
    public var date: String
    /// ISA10, interchange time, `HHMM`.
    public var time: String
    /// ISA12, interchange control version number, e.g. `00401`.
    public var version: String
    /// ISA13, interchange control number (0...999999999, written with 9 digits).
    public var controlNumber: Int
    /// ISA14: whether the sender asks for an interchange acknowledgment (TA1).
    public var acknowledgmentRequested: Bool
    /// ISA15: production, test or information.
    public var usage: X12UsageIndicator

    /// Creates a header.
    /// - Parameters:
    ///   - authorizationQualifier: ISA01, `00` by default.
    ///   - authorizationInformation: ISA02, empty by default.
    ///   - securityQualifier: ISA03, `00` by default.
    ///   - securityInformation: ISA04, empty by default.
    ///   - senderQualifier: ISA05.
    ///   - senderID: ISA06.
    ///   - receiverQualifier: ISA07.
    ///   - receiverID: ISA08.
    ///   - date: ISA09, `YYMMDD`.
    ///   - time: ISA10, `HHMM`.
    ///   - version: ISA12, `00401` by default.
    ///   - controlNumber: ISA13.
    ///   - acknowledgmentRequested: ISA14, `false` by default.
    ///   - usage: ISA15, production by default.
    public init(
        authorizationQualifier: String = "00",
        authorizationInformation: String = "",
        securityQualifier: String = "00",
        securityInformation: String = "",
        senderQualifier: String,
        senderID: String,
        receiverQualifier: String,
        receiverID: String,
        date: String,
        time: String,
        version: String = "00401",
        controlNumber: Int,
        acknowledgmentRequested: Bool = false,
        usage: X12UsageIndicator = .production
    ) {
        self.authorizationQualifier = authorizationQualifier
        self.authorizationInformation = authorizationInformation
        self.securityQualifier = securityQualifier
        self.securityInformation = securityInformation
        self.senderQualifier = senderQualifier
        self.senderID = senderID
        self.receiverQualifier = receiverQualifier
        self.receiverID = receiverID
        self.date = date
        self.time = time
        self.version = version
        self.controlNumber = controlNumber
        self.acknowledgmentRequested = acknowledgmentRequested
        self.usage = usage
    }

    /// Whether ISA11 is a repetition separator in this version (00402 and later).
    public var hasRepetitionSeparator: Bool { Self.hasRepetitionSeparator(version: version) }

    /// Whether ISA11 is a repetition separator in an ISA12 version.
    static func hasRepetitionSeparator(version: String) -> Bool {
        ASCII.isNumeric(version) && version.utf8.count == 5 && version >= "00402"
    }
}
