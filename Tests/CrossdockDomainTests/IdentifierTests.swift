import CrossdockDomain
import Testing

@Suite("Identifier")
struct IdentifierTests {
    @Test(arguments: ["PO-4711", "SKU-0010", "acme:1001", "A", "PO 88/2026", "x~y*z"])
    func printableASCIIWithinTheLimitIsAccepted(value: String) {
        #expect(Identifier.problem(value, .externalOrderID) == nil)
    }

    @Test func theIssuesExampleIsRefusedNamingTheFirstBadCharacter() {
        #expect(Identifier.problem("PO-\u{202E}\u{0}x", .externalOrderID) == "must be printable ASCII: U+202E (character 4) is not allowed")
        #expect(Identifier.problem("PO-\u{0}", .externalOrderID) == "must be printable ASCII: U+0000 (character 4) is not allowed")
    }

    @Test(arguments: [
        "\u{0}", "a\u{7F}", "a\u{1B}[31m", "line\nbreak", "tab\there", "cr\r", "\u{85}next", "\u{200B}zero-width", "bom\u{FEFF}",
        "\u{2066}isolate", "\u{202D}override", "caf\u{E9}", "emoji\u{1F600}", "\u{2028}", "nb\u{A0}sp",
    ])
    func controlFormatAndNonASCIICharactersAreRefused(value: String) {
        let reason = Identifier.problem(value, .sku)
        #expect(reason?.hasPrefix("must be printable ASCII: U+") == true, "\(value.unicodeScalars.map { $0.value })")
    }

    @Test func emptyAndPaddedIdentifiersAreRefused() {
        #expect(Identifier.problem("", .customerID) == "must not be empty")
        #expect(Identifier.problem(" CUST-1", .customerID) == "must not start or end with a space")
        #expect(Identifier.problem("CUST-1 ", .customerID) == "must not start or end with a space")
    }

    @Test(arguments: Identifier.Kind.allCases)
    func eachKindAcceptsItsLimitAndRefusesOneMore(kind: Identifier.Kind) {
        #expect(Identifier.problem(String(repeating: "7", count: kind.maxLength), kind) == nil)
        #expect(Identifier.problem(String(repeating: "7", count: kind.maxLength + 1), kind) == "must be at most \(kind.maxLength) characters")
    }

    @Test func limitsFollowThePartnerFormats() {
        #expect(Identifier.Kind.customerPO.maxLength == 22)  // X12 element 324 (BEG03, BAK03, BIG04, PRF01)
        #expect(Identifier.Kind.sku.maxLength == 48)  // X12 element 234 (PO107, LIN03)
        #expect(Identifier.Kind.reference.maxLength == 30)  // X12 element 127 (REF02)
        #expect(Identifier.Kind.idempotencyKey.maxLength == 255)
    }

    @Test(arguments: ["..", ".", "a/b", "..%2Fetc", "a\\b", "a?b", "a#b"])
    func pathSegmentIdentifiersRefuseTraversalAndURLDelimiters(value: String) {
        #expect(Identifier.problem(value, .customerID) != nil)
        #expect(Identifier.problem(value, .sku) != nil)
        #expect(Identifier.problem(value, .resourceID) != nil)
    }

    @Test func referencesThatNeverNameAPathMayHoldSlashes() {
        #expect(Identifier.problem("PO/2026/11", .customerPO) == nil)
        #expect(Identifier.problem("a/b", .externalOrderID) == nil)
    }

    @Test func anOrderRequestNamesEveryBadIdentifier() throws {
        let request = OrderRequest(
            channel: "api",
            externalID: "PO-\u{202E}\u{0}x",
            customerID: "CUST\n1",
            customerPO: String(repeating: "9", count: 23),
            shipToCode: "ST 1 ",
            lines: [.init(sku: "SKU-1", quantity: 1), .init(sku: "SKU/../2", quantity: 1)]
        )
        #expect(request.identifierErrors.map(\.field) == ["externalId", "customerId", "customerPo", "shipToCode", "lines[1].sku"])
        let error = try #require(throws: IntakeError.self) { try OrderIntake.check(request, customer: nil, products: [:]) }
        // A bad identifier is reported once, not again as an unknown reference.
        #expect(error.errors.filter { $0.field == "customerId" }.count == 1)
        #expect(error.errors.filter { $0.field == "lines[1].sku" }.count == 1)
    }
}
