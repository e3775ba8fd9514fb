import CrossdockEDI

/// Builds random but valid interchanges from a seed, for round-trip and mutation properties.
enum InterchangeGenerator {
    /// Data characters: none of them is a delimiter in any of ``delimiterSets``.
    static let dataAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-/#()&@")
    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let segmentIDs = ["BEG", "REF", "N1", "N3", "N4", "PO1", "PID", "DTM", "HL", "LIN", "SN1", "CTT", "TD5", "MSG", "N9", "BSN", "IT1"]

    /// Delimiter sets the serializer is exercised with: element, component, repetition, terminator.
    static let delimiterSets: [X12Delimiters] = [
        .standard,
        try! X12Delimiters(element: "|", component: ":", repetition: "!", segmentTerminator: "\n"),
        try! X12Delimiters(element: "\u{1D}", component: "\u{1F}", repetition: "\u{1E}", segmentTerminator: "\u{1C}"),
        try! X12Delimiters(element: "+", component: "<", repetition: "`", segmentTerminator: "\r"),
    ]

    static func string<R: RandomNumberGenerator>(_ alphabet: [Character], _ lengths: ClosedRange<Int>, using rng: inout R) -> String {
        String((0..<Int.random(in: lengths, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    static func digits<R: RandomNumberGenerator>(_ count: Int, using rng: inout R) -> String {
        string(Array("0123456789"), count...count, using: &rng)
    }

    /// An ID-like value: alphanumerics without leading or trailing spaces.
    static func id<R: RandomNumberGenerator>(_ lengths: ClosedRange<Int>, using rng: inout R) -> String {
        string(alphanumerics, lengths, using: &rng)
    }

    static func element<R: RandomNumberGenerator>(repeats: Bool, using rng: inout R) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: return ""
        case 2:  // composite
            return (0..<Int.random(in: 2...4, using: &rng)).map { _ in string(dataAlphabet, 0...6, using: &rng) }.joined(separator: ">")
        case 3 where repeats:
            return (0..<Int.random(in: 2...3, using: &rng)).map { _ in string(dataAlphabet, 1...6, using: &rng) }.joined(separator: "^")
        default:
            return string(dataAlphabet, 1...20, using: &rng)
        }
    }

    static func interchange<R: RandomNumberGenerator>(using rng: inout R) -> X12Interchange {
        let version = Bool.random(using: &rng) ? "00401" : "00501"
        let authorized = Int.random(in: 0..<4, using: &rng) == 0
        let header = X12InterchangeHeader(
            authorizationQualifier: authorized ? "03" : "00",
            authorizationInformation: authorized ? id(1...10, using: &rng) : "",
            securityQualifier: "00",
            securityInformation: "",
            senderQualifier: ["ZZ", "01", "12", "14"][Int.random(in: 0..<4, using: &rng)],
            senderID: id(1...15, using: &rng),
            receiverQualifier: ["ZZ", "01", "08"][Int.random(in: 0..<3, using: &rng)],
            receiverID: id(1...15, using: &rng),
            date: digits(6, using: &rng),
            time: digits(4, using: &rng),
            version: version,
            controlNumber: Int.random(in: 0...999_999_999, using: &rng),
            acknowledgmentRequested: Bool.random(using: &rng),
            usage: X12UsageIndicator.allCases[Int.random(in: 0..<3, using: &rng)]
        )
        let groupBase = Int.random(in: 1...999_000_000, using: &rng)
        let groups = (0..<Int.random(in: 0...3, using: &rng)).map { g -> X12FunctionalGroup in
            let groupVersion = ["004010", "005010X222", "003010", "004010VICS"][Int.random(in: 0..<4, using: &rng)]
            let setBase = Int.random(in: 1000...999_000_000, using: &rng)
            let sets = (0..<Int.random(in: 0...3, using: &rng)).map { s -> X12TransactionSet in
                let segments = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    X12Segment(
                        segmentIDs[Int.random(in: 0..<segmentIDs.count, using: &rng)],
                        (0..<Int.random(in: 0...7, using: &rng)).map { _ in element(repeats: version == "00501", using: &rng) }
                    )
                }
                return X12TransactionSet(
                    id: digits(3, using: &rng),
                    controlNumber: String(setBase + s),
                    implementationConventionReference: Bool.random(using: &rng) ? id(1...12, using: &rng) : nil,
                    segments: segments
                )
            }
            return X12FunctionalGroup(
                functionalIdentifierCode: id(2...2, using: &rng),
                applicationSenderCode: id(2...15, using: &rng),
                applicationReceiverCode: id(2...15, using: &rng),
                date: digits(groupVersion == "003010" && Bool.random(using: &rng) ? 6 : 8, using: &rng),
                time: digits([4, 6, 8][Int.random(in: 0..<3, using: &rng)], using: &rng),
                controlNumber: groupBase + g,
                responsibleAgencyCode: Bool.random(using: &rng) ? "X" : "T",
                version: groupVersion,
                transactionSets: sets
            )
        }
        return X12Interchange(header: header, groups: groups)
    }
}
