import CrossdockEDI
import Testing

@Suite("X12 parser")
struct ParserTests {
    @Test func readsTheHeaderGroupAndSet() throws {
        let interchange = try X12Parser.parse(Fixtures.text(Fixtures.purchaseOrder))
        let header = interchange.header
        #expect(header.authorizationQualifier == "00")
        #expect(header.authorizationInformation == "")
        #expect(header.senderQualifier == "ZZ")
        #expect(header.senderID == "CROSSDOCK")
        #expect(header.receiverID == "ACMERETAIL")
        #expect(header.date == "250314")
        #expect(header.time == "0930")
        #expect(header.version == "00401")
        #expect(header.controlNumber == 101)
        #expect(header.acknowledgmentRequested == false)
        #expect(header.usage == .test)
        #expect(!header.hasRepetitionSeparator)

        let group = try #require(interchange.groups.first)
        #expect(interchange.groups.count == 1)
        #expect(group.functionalIdentifierCode == "PO")
        #expect(group.applicationSenderCode == "ACMERETAIL")
        #expect(group.applicationReceiverCode == "CROSSDOCK")
        #expect(group.date == "20250314")
        #expect(group.time == "0930")
        #expect(group.controlNumber == 101)
        #expect(group.responsibleAgencyCode == "X")
        #expect(group.version == "004010")

        let set = try #require(group.transactionSets.first)
        #expect(set.id == "850")
        #expect(set.controlNumber == "0001")
        #expect(set.implementationConventionReference == nil)
        #expect(set.segments.count == 11)
        #expect(set.segments.first?.id == "BEG")
        #expect(set.segments.last?.id == "CTT")
        #expect(
            set.segments.first?.position
                == X12Position(segment: 4, byteOffset: 107 + Fixtures.purchaseOrder[1].utf8.count + 2 + Fixtures.purchaseOrder[2].utf8.count + 2)
        )
    }

    @Test func readsSeveralSetsAndTheImplementationReference() throws {
        let interchange = try X12Parser.parse(Fixtures.text(Fixtures.shipNotice))
        #expect(interchange.header.acknowledgmentRequested)
        #expect(interchange.header.usage == .production)
        #expect(interchange.header.receiverQualifier == "12")
        let sets = interchange.groups[0].transactionSets
        #expect(sets.map(\.controlNumber) == ["0001", "0002"])
        #expect(sets[1].implementationConventionReference == "005010")
        #expect(sets.map(\.segments.count) == [10, 3])
        #expect(interchange.groups[0].time == "140512")
    }

    @Test func readsSeveralGroups() throws {
        let interchange = try X12Parser.parse(Fixtures.text(Fixtures.twoGroups))
        #expect(interchange.groups.map(\.functionalIdentifierCode) == ["IN", "PR"])
        #expect(interchange.groups.map(\.controlNumber) == [31, 32])
        #expect(interchange.transactionSets.map(\.id) == ["810", "855", "855"])
        #expect(interchange.header.senderQualifier == "01")
        #expect(interchange.header.senderID == "123456789")
    }

    @Test func theSameInterchangeWithOtherDelimitersParsesEqual() throws {
        let reference = try X12Parser.parse(Fixtures.text(Fixtures.shipNotice))
        let renderings = [
            Fixtures.render(Fixtures.shipNotice, element: "|", component: ":", repetition: "!", terminator: "\n"),
            Fixtures.render(Fixtures.shipNotice, element: "\u{1D}", component: "\u{1F}", repetition: "\u{1E}", terminator: "\u{1C}"),
            Fixtures.render(Fixtures.shipNotice, element: "*", component: ">", terminator: "~", after: "\r\n"),
        ]
        for text in renderings {
            #expect(try X12Parser.parse(text) == reference)
        }
    }
}
