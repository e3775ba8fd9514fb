import CrossdockEDI
import Foundation
import Testing

@Suite("X12 tokenizer")
struct TokenizerTests {
    @Test func splitsSegmentsWithPositionsAndByteOffsets() throws {
        let text = Fixtures.text(Fixtures.purchaseOrder)
        let segments = try X12Tokenizer.tokenize(text)
        #expect(segments.count == 17)
        #expect(segments.map(\.id).prefix(4) == ["ISA", "GS", "ST", "BEG"])
        #expect(segments[0].position == X12Position(segment: 1, byteOffset: 0))
        #expect(segments[1].position == X12Position(segment: 2, byteOffset: 107))  // 106 bytes of ISA + LF
        let bytes = Array(text.utf8)
        for segment in segments {
            let offset = try #require(segment.position?.byteOffset)
            #expect(Array(bytes[offset..<(offset + segment.id.utf8.count)]) == Array(segment.id.utf8))
        }
        #expect(segments[3].elements == ["00", "SA", "PO-7781", "", "20250314"])
        #expect(segments[3].value(4) == nil)
        #expect(segments[3].value(5) == "20250314")
        #expect(segments[3].value(6) == nil)
    }

    @Test func isaElementsKeepTheirPadding() throws {
        let isa = try #require(try X12Tokenizer.tokenize(Fixtures.text(Fixtures.purchaseOrder)).first)
        #expect(isa.elements.count == 16)
        #expect(isa.elements[5] == "CROSSDOCK      ")
        #expect(isa.elements[15] == ">")
    }

    @Test(arguments: ["", "\n", "\r\n", "\r\n\r\n", "  \n\t"])
    func toleratesWhitespaceAfterTerminators(after: String) throws {
        let text = Fixtures.render(Fixtures.purchaseOrder, element: "*", component: ">", terminator: "~", after: after) + "\n  \n"
        let segments = try X12Tokenizer.tokenize(text)
        #expect(segments.count == 17)
        #expect(segments.last?.elements == ["1", "000000101"])
        #expect(X12Parser.validate(text).isEmpty)
    }

    @Test func newlineAsTerminatorWithCRLFLines() throws {
        // ISA char 105 is CR, so CR is the terminator and the LF after it is skipped.
        let text = Fixtures.render(Fixtures.purchaseOrder, element: "|", component: ":", terminator: "\r", after: "\n")
        let segments = try X12Tokenizer.tokenize(text)
        #expect(segments.count == 17)
        #expect(segments[2].elements == ["850", "0001"])
        #expect(X12Parser.validate(text).isEmpty)
    }

    @Test func aMissingFinalTerminatorIsAnError() {
        var text = Fixtures.text(Fixtures.purchaseOrder, newline: false)
        text.removeLast()  // the ~ after IEA
        #expect(throws: X12Error.self) { try X12Tokenizer.tokenize(text) }
        let errors = X12Parser.validate(text)
        #expect(errors.map(\.code) == ["unterminated"])
        #expect(errors.first?.description == "segment 17 (IEA): the last segment has no segment terminator '~'")
        #expect(errors.first?.byteOffset == text.utf8.count - "IEA*1*000000101".utf8.count)
    }

    @Test func trailingWhitespaceAfterAMissingTerminatorIsStillUnterminated() {
        var text = Fixtures.text(Fixtures.purchaseOrder, newline: false)
        text.removeLast()
        text += " \r\n"
        #expect(X12Parser.validate(text).map(\.code) == ["unterminated"])
    }

    @Test func emptyElementsAreKept() throws {
        let tokenizer = X12Tokenizer(delimiters: .standard)
        let segments = try tokenizer.tokenize("N1*SF***CHI~PID*F****~TD5**2~")
        #expect(segments.map(\.elements) == [["SF", "", "", "CHI"], ["F", "", "", "", ""], ["", "2"]])
        #expect(segments.map { $0.position?.segment } == [1, 2, 3])
    }

    @Test func badSegmentIDsAreReported() {
        let tokenizer = X12Tokenizer(delimiters: .standard)
        for (text, position) in [("BEG*00~~REF*DP~", 2), ("BEG*00~ref*DP~", 2), ("1EG*00~", 1), ("BEGIN*1~", 1), ("N1*ST~*X~", 2)] {
            do {
                _ = try tokenizer.tokenize(text)
                Issue.record("\(text) tokenized")
            } catch {
                #expect(error.code == "invalid_segment_id", "\(text)")
                #expect(error.segmentPosition == position, "\(text)")
            }
        }
    }

    @Test func compositesAndRepetitionsSplitOnDemand() throws {
        let text = Fixtures.text(Fixtures.shipNotice)
        let interchange = try X12Parser.parse(text)
        let set = try #require(interchange.transactionSets.first)
        let ref = try #require(set.segments.first { $0.id == "REF" })
        let composite = try #require(ref.element(4))
        #expect(composite.components == ["ZZ", "LOAD7", "SEAL9"])
        #expect(composite.component(2) == "LOAD7")
        #expect(composite.component(4) == nil)
        #expect(ref.element(3)?.isEmpty == true)
        #expect(ref.element(5) == nil)
        let lin = try #require(set.segments.first { $0.id == "LIN" })
        let repeated = try #require(lin.element(3))
        #expect(repeated.repetitions.map(\.raw) == ["012345678905", "VN"])
        #expect(lin.structure[2] == [["012345678905"], ["VN"]])
    }

    @Test func withoutARepetitionSeparatorTheCaretIsData() throws {
        let tokenizer = X12Tokenizer(delimiters: try X12Delimiters(element: "*", component: ">", repetition: nil, segmentTerminator: "~"))
        let segment = try #require(try tokenizer.tokenize("MSG*A^B>C~").first)
        let element = try #require(segment.element(1))
        #expect(element.repetitions.map(\.raw) == ["A^B>C"])
        #expect(element.components == ["A^B", "C"])
    }

    @Test func segmentEqualityIsByMeaningNotByDelimiters() throws {
        let pipes = try X12Delimiters(element: "|", component: ":", repetition: "!", segmentTerminator: "\n")
        let a = X12Segment("REF", ["ZZ", "A>B^C>D", "", ""])
        let b = X12Segment("REF", ["ZZ", "A:B!C:D"], delimiters: pipes, position: X12Position(segment: 9, byteOffset: 99))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != X12Segment("REF", ["ZZ", "A>B"]))
        #expect(a.description == "REF*ZZ*A>B^C>D**")
    }
}
