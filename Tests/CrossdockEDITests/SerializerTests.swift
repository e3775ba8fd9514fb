import CrossdockEDI
import Testing

@Suite("X12 serializer")
struct SerializerTests {
    static let header = X12InterchangeHeader(
        senderQualifier: "ZZ",
        senderID: "CROSSDOCK",
        receiverQualifier: "ZZ",
        receiverID: "ACMERETAIL",
        date: "250314",
        time: "0930",
        controlNumber: 7,
        usage: .test
    )

    static func order(header: X12InterchangeHeader = header, segments: [X12Segment]? = nil) -> X12Interchange {
        X12Interchange(
            header: header,
            groups: [
                X12FunctionalGroup(
                    functionalIdentifierCode: "PO",
                    applicationSenderCode: "ACMERETAIL",
                    applicationReceiverCode: "CROSSDOCK",
                    date: "20250314",
                    time: "0930",
                    controlNumber: 12,
                    transactionSets: [
                        X12TransactionSet(
                            id: "850",
                            controlNumber: "0001",
                            segments: segments ?? [
                                X12Segment("BEG", ["00", "SA", "PO-1", "", "20250314"]),
                                X12Segment("REF", ["ZZ", "NOTE", "", "AB>12"]),
                                X12Segment("CTT", ["1", "", ""]),
                            ]
                        )
                    ]
                )
            ]
        )
    }

    @Test func writesTheExpectedText() throws {
        let text = try X12Serializer(newlineAfterSegment: true).serialize(Self.order())
        #expect(
            text == """
                ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMERETAIL     *250314*0930*U*00401*000000007*0*T*>~
                GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*12*X*004010~
                ST*850*0001~
                BEG*00*SA*PO-1**20250314~
                REF*ZZ*NOTE**AB>12~
                CTT*1~
                SE*5*0001~
                GE*1*12~
                IEA*1*000000007~

                """
        )
        #expect(Array(text.utf8).firstIndex(of: UInt8(ascii: "~")) == 105)
        #expect(try X12Parser.parse(text) == Self.order())
    }

    @Test func writesWithoutNewlinesAndWithOtherDelimiters() throws {
        let pipes = try X12Delimiters(element: "|", component: ":", repetition: "!", segmentTerminator: "\n")
        let text = try X12Serializer(delimiters: pipes, newlineAfterSegment: true).serialize(Self.order())
        #expect(text.hasPrefix("ISA|00|          |00|          |ZZ|CROSSDOCK      |ZZ|ACMERETAIL     |250314|0930|U|00401|000000007|0|T|:\nGS|PO|"))
        #expect(text.contains("REF|ZZ|NOTE||AB:12\n"))
        #expect(!text.contains("\n\n"))
        #expect(try X12Parser.parse(text) == Self.order())
        let compact = try X12Serializer().serialize(Self.order())
        #expect(!compact.contains("\n"))
        #expect(try X12Parser.parse(compact) == Self.order())
    }

    @Test func writesISA11AsTheRepetitionSeparatorFrom00402() throws {
        var header = Self.header
        header.version = "00501"
        let segments = [X12Segment("LIN", ["", "UP", "123^VN"])]
        let text = try X12Serializer().serialize(Self.order(header: header, segments: segments))
        #expect(text.contains("*^*00501*"))
        let parsed = try X12Parser.parse(text)
        #expect(parsed.transactionSets[0].segments[0].element(3)?.repetitions.count == 2)
        // In 00401 the same repetition cannot be written.
        #expect(throws: X12Error.self) { try X12Serializer().serialize(Self.order(segments: segments)) }
    }

    @Test func rejectsAValueThatContainsADelimiter() {
        for (value, role) in [("A*B", "element separator"), ("A~B", "segment terminator"), ("A:B", nil)] {
            let order = Self.order(segments: [X12Segment("REF", ["ZZ", value])])
            do {
                let text = try X12Serializer().serialize(order)
                #expect(role == nil, "wrote \(text)")
            } catch {
                #expect(error.code == "delimiter_in_value")
                #expect(error.segmentPosition == 4)
                #expect(error.segmentID == "REF")
                #expect(error.elementPosition == 2)
                #expect(error.message.contains(role ?? "?"))
            }
        }
        // A pipe set makes ':' a delimiter.
        let pipes = try? X12Delimiters(element: "|", component: ":", repetition: nil, segmentTerminator: "\n")
        #expect(throws: X12Error.self) {
            try X12Serializer(delimiters: pipes ?? .standard).serialize(Self.order(segments: [X12Segment("REF", ["ZZ", "10:30"])]))
        }
        var header = Self.header
        header.senderID = "CROSS*DOCK"
        #expect(throws: X12Error.self) { try X12Serializer().serialize(Self.order(header: header)) }
    }

    @Test func rejectsValuesThatDoNotFitTheISA() {
        let cases: [(WritableKeyPath<X12InterchangeHeader, String>, String, Int, String)] = [
            (\.senderID, "SIXTEEN-CHARS-ID", 6, "isa_width"),
            (\.authorizationInformation, "ELEVEN-CHAR", 2, "isa_width"),
            (\.senderQualifier, "Z", 5, "isa_width"),
            (\.date, "2025-03", 9, "isa_width"),
            (\.date, "25031A", 9, "invalid_value"),
            (\.time, "9:30", 10, "invalid_value"),
            (\.time, "09300", 10, "isa_width"),
            (\.version, "4010", 12, "isa_width"),
            (\.receiverID, " PADDED", 8, "invalid_value"),
            (\.receiverID, "", 8, "missing_element"),
            (\.senderID, "CAFÉ", 6, "invalid_value"),
        ]
        for (path, value, element, code) in cases {
            var header = Self.header
            header[keyPath: path] = value
            do {
                let text = try X12Serializer().serialize(Self.order(header: header))
                Issue.record("wrote \(text)")
            } catch {
                #expect(error.code == code, "\(value)")
                #expect(error.segmentPosition == 1)
                #expect(error.elementPosition == element, "\(value)")
            }
        }
        var header = Self.header
        header.controlNumber = 1_000_000_000
        #expect(throws: X12Error.self) { try X12Serializer().serialize(Self.order(header: header)) }
        header.controlNumber = -1
        #expect(throws: X12Error.self) { try X12Serializer().serialize(Self.order(header: header)) }
    }

    @Test func rejectsBadEnvelopeValuesAndSegmentIDs() {
        var order = Self.order()
        order.groups[0].date = "2025031"
        #expect(throws: X12Error.self) { try X12Serializer().serialize(order) }
        order = Self.order()
        order.groups[0].transactionSets[0].controlNumber = "01"
        #expect(throws: X12Error.self) { try X12Serializer().serialize(order) }
        order = Self.order()
        order.groups.append(order.groups[0])
        do {
            _ = try X12Serializer().serialize(order)
            Issue.record("duplicate group control numbers written")
        } catch {
            #expect(error.code == "duplicate_control_number")
            #expect(error.segmentPosition == 9)
        }
        for id in ["SE", "beg", "B", ""] {
            #expect(throws: X12Error.self) { try X12Serializer().serialize(Self.order(segments: [X12Segment(id, ["1"])])) }
        }
    }

    @Test func rewritesSegmentsReadWithOtherDelimiters() throws {
        let text = Fixtures.render(Fixtures.shipNotice, element: "|", component: ":", repetition: "!", terminator: "\n")
        let parsed = try X12Parser.parse(text)
        let written = try X12Serializer().serialize(parsed)
        #expect(written.contains("REF*BM*BOL-55**ZZ>LOAD7>SEAL9~"))
        #expect(written.contains("LIN**UP*012345678905^VN*WID-100~"))
        #expect(try X12Parser.parse(written) == parsed)
    }

    @Test func takesControlNumbersFromTheSource() async throws {
        let source = InMemoryControlNumberSource(first: 41)
        var order = Self.order()
        order.groups.append(order.groups[0])
        let first = try await X12Serializer().serialize(order, assigningControlNumbersFrom: source)
        #expect(first.interchange.header.controlNumber == 41)
        #expect(first.interchange.groups.map(\.controlNumber) == [41, 42])
        #expect(first.interchange.transactionSets.map(\.controlNumber) == ["0041", "0042"])
        #expect(first.text.contains("IEA*2*000000041~"))
        #expect(try X12Parser.parse(first.text) == first.interchange)
        let second = try await X12Serializer().serialize(order, assigningControlNumbersFrom: source)
        #expect(second.interchange.header.controlNumber == 42)
        // Another partner has its own sequences.
        var other = order
        other.header.receiverID = "OTHER"
        let third = try await X12Serializer().serialize(other, assigningControlNumbersFrom: source)
        #expect(third.interchange.header.controlNumber == 41)
    }

    @Test func inMemorySourceWrapsAfterNineDigits() async {
        let source = InMemoryControlNumberSource(first: 999_999_999)
        #expect(await source.next(kind: .interchange, partner: "P") == 999_999_999)
        #expect(await source.next(kind: .interchange, partner: "P") == 1)
        #expect(await source.next(kind: .group, partner: "P") == 999_999_999)
    }

    @Test func aSourceOutOfRangeIsAnError() async {
        struct Broken: ControlNumberSource {
            func next(kind: ControlNumberKind, partner: String) async throws -> Int { kind == .set ? 0 : 5 }
        }
        do {
            _ = try await X12Serializer().serialize(Self.order(), assigningControlNumbersFrom: Broken())
            Issue.record("wrote an invalid control number")
        } catch let error as X12Error {
            #expect(error.code == "invalid_value")
            #expect(error.segmentPosition == 3)
            #expect(error.segmentID == "ST")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
