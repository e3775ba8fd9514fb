import CrossdockEDI
import Testing

struct FunctionalAcknowledgmentTests {
    private let body = DocumentFixtures.purchaseOrderBody

    @Test func acceptedGroupGetsA() throws {
        let reading = InboundInterchange.read(DocumentFixtures.interchange(body))
        #expect(reading.isProcessable && reading.acceptedDocuments.count == 1)
        let sets = reading.acknowledgment()
        #expect(sets.count == 1)
        #expect(sets[0].segments.map(\.description) == ["AK1*PO*101", "AK2*850*0001", "AK5*A", "AK9*A*1*1*1"])
    }

    @Test func setErrorsBecomeAK3AK4AndRejectTheSet() throws {
        let bad = Fixtures.replacing(body, at: 11, with: "PO1*1*12*EA*4.25*PE*UP**VN*WID-100")
        let reading = InboundInterchange.read(DocumentFixtures.interchange(bad))
        #expect(reading.acceptedDocuments.isEmpty)
        let ack = try #require(reading.acknowledgment().first)
        #expect(ack.segments.map(\.description) == ["AK1*PO*101", "AK2*850*0001", "AK3*PO1*12*PO1*8", "AK4*7*234*2", "AK5*R*5", "AK9*R*1*1*0"])
    }

    @Test func envelopeErrorsOfSetsAndGroups() throws {
        // SE01 wrong and SE02 wrong in the first set, GE01 wrong: set R 4/3, group R 5.
        let segments =
            [
                "ISA*00*          *00*          *ZZ*ACMERETAIL     *ZZ*CROSSDOCK      *250314*0930*U*00401*000000101*0*T*>",
                "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*101*X*004010", "ST*850*0001",
            ] + body + ["SE*99*0002", "ST*850*0002"] + body + ["SE*17*0002", "GE*3*101", "IEA*1*000000101"]
        let reading = InboundInterchange.read(Fixtures.text(segments))
        let ack = try #require(reading.acknowledgments().first)
        #expect(ack.sets.map(\.status) == [.rejected, .accepted])
        #expect(ack.sets[0].codes == ["4", "3"])
        #expect(ack.status == .rejected && ack.codes == ["5"] && ack.includedCount == 3 && ack.receivedCount == 2 && ack.acceptedCount == 0)
        #expect(reading.groups[0].sets[0].document != nil)  // decoded for diagnostics, not accepted
        #expect(reading.acceptedDocuments.isEmpty == false)  // the second set is fine in a processable interchange
    }

    @Test func unsupportedSetAndPartialGroup() throws {
        let segments =
            [
                "ISA*00*          *00*          *ZZ*ACMERETAIL     *ZZ*CROSSDOCK      *250314*0930*U*00401*000000101*0*T*>",
                "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*101*X*004010", "ST*850*0001",
            ] + body + ["SE*17*0001", "ST*860*0002", "BCH*01*SA*PO-1**20250314", "SE*3*0002", "GE*2*101", "IEA*1*000000101"]
        let ack = try #require(InboundInterchange.read(Fixtures.text(segments)).acknowledgments().first)
        #expect(ack.sets.map(\.codes) == [[], ["1", "6"]])  // not supported, and an 860 belongs in a PC group
        #expect(ack.status == .partiallyAccepted && ack.acceptedCount == 1)
    }

    @Test func version005010AddsAK103AndAK203() throws {
        let text = DocumentFixtures.interchange(body, version: "005010")
        let ack = try #require(InboundInterchange.read(text).acknowledgment().first)
        #expect(ack.segments.first?.description == "AK1*PO*101*005010")
    }

    @Test func badDataCopiesLoseDelimiters() throws {
        let note = FunctionalAcknowledgment.ElementNote(position: 1, code: "6", badValue: "A*B")
        var ack = FunctionalAcknowledgment(
            functionalID: "PO",
            groupControlNumber: 1,
            sets: [],
            status: .rejected,
            includedCount: 0,
            receivedCount: 0,
            acceptedCount: 0
        )
        ack.sets = [
            .init(
                setID: "850",
                controlNumber: "0001",
                segments: [.init(segmentID: "BEG", position: 2, code: "8", elements: [note])],
                status: .rejected,
                codes: ["5"]
            )
        ]
        #expect(FunctionalAcknowledgment.schema.validate(ack.transactionSet()).isEmpty)
        // The serializer refuses delimiters in data; the reading strips them from AK404.
        #expect(throws: X12Error.self) { try X12Serializer().serialize(PurchaseOrderTests.wrap(ack.transactionSet(), functionalID: "FA")) }
    }

    @Test func generatedAcknowledgmentsParseBackLosslessly() throws {
        let bad = Fixtures.replacing(body, at: 1, with: "BEG*00*SA*PO-7781**20250231")
        for version in ["004010", "005010"] {
            let reading = InboundInterchange.read(DocumentFixtures.interchange(bad, version: version))
            let value = try #require(reading.acknowledgments().first)
            let set = try #require(reading.acknowledgment().first)
            #expect(FunctionalAcknowledgment.schema.validate(set).isEmpty)
            let text = try X12Serializer().serialize(PurchaseOrderTests.wrap(set, functionalID: "FA", version: version))
            let parsed = try #require(try X12Parser.parse(text).transactionSets.first)
            #expect(try FunctionalAcknowledgment.decode(parsed) == value)
            #expect(value.sets.first?.segments.first?.elements.first?.badValue == "20250231")
        }
    }
}

@Suite("997 samples", .enabled(if: DocumentFixtures.samplesPresent, DocumentFixtures.skipMessage))
struct FunctionalAcknowledgmentSampleTests {
    @Test func staediDecodes() throws {
        let reading = InboundInterchange.read(try DocumentFixtures.sample("997-staedi-005010.edi"))
        guard case .functionalAcknowledgment(let ack) = try #require(reading.acceptedDocuments.first) else {
            Issue.record("not a 997")
            return
        }
        #expect(ack.functionalID == "HC" && ack.groupControlNumber == 1 && ack.version == nil)
        #expect(ack.status == .rejected && ack.includedCount == 1 && ack.receivedCount == 1 && ack.acceptedCount == 0)
        let set = try #require(ack.sets.first)
        #expect(set.setID == "837" && set.controlNumber == "0021" && set.status == .rejected && set.codes == ["5"])
        #expect(
            set.segments == [
                .init(segmentID: "NM1", position: 8, code: "8", elements: [.init(position: 8, dataElement: 66, code: "7", badValue: "MI")])
            ]
        )
        #expect(reading.acknowledgments().first?.status == .accepted)  // our 997 of their 997
    }

    @Test func staediInvalidGetsPreciseErrors() throws {
        let reading = InboundInterchange.read(try DocumentFixtures.sample("997-staedi-invalid-005010.edi"))
        let set = try #require(reading.groups.first?.sets.first)
        #expect(DocumentFixtures.summary(set.errors) == ["AK1@2.1:5", "AK4@5.2:6"])
        #expect(set.errors[0].badValue == "HC NOT IN CODESET" && set.errors[1].badValue == "66 NON NUMERIC" && set.errors[1].dataElement == 725)
        let ack = try #require(reading.acknowledgment().first)
        #expect(ack.segments.map(\.description).contains("AK4*2*725*6*66 NON NUMERIC"))
        // Reading the structure only still gives the values.
        let loose = try FunctionalAcknowledgment.decode(set.set, strictness: .structureOnly)
        #expect(loose.functionalID == "HC NOT IN CODESET" && loose.sets.first?.segments.first?.elements.first?.dataElement == nil)
    }
}
