import CrossdockEDI
import Foundation
import Testing

@Suite("X12 delimiters")
struct DelimiterTests {
    @Test func readsTheStandardDelimitersFromTheFixedISA() throws {
        let delimiters = try X12Delimiters.read(from: Fixtures.text(Fixtures.purchaseOrder))
        #expect(delimiters.element == "*")
        #expect(delimiters.component == ">")
        #expect(delimiters.repetition == nil)  // 00401: ISA11 is U
        #expect(delimiters.segmentTerminator == "~")
    }

    @Test func isa11IsTheRepetitionSeparatorFrom00402() throws {
        let delimiters = try X12Delimiters.read(from: Fixtures.text(Fixtures.shipNotice))
        #expect(delimiters.repetition == "^")
    }

    @Test func isa11UMeansNoRepetitionSeparatorEvenIn00501() throws {
        let isa = Fixtures.shipNotice[0].replacingOccurrences(of: "*^*00501", with: "*U*00501")
        let text = Fixtures.text(Fixtures.replacing(Fixtures.shipNotice, at: 1, with: isa))
        #expect(try X12Delimiters.read(from: text).repetition == nil)
        #expect(X12Parser.validate(text).isEmpty)
    }

    @Test func readsPipeColonAndNewline() throws {
        let text = Fixtures.render(Fixtures.purchaseOrder, element: "|", component: ":", terminator: "\n")
        let delimiters = try X12Delimiters.read(from: text)
        #expect(delimiters.element == "|")
        #expect(delimiters.component == ":")
        #expect(delimiters.segmentTerminator == "\n")
    }

    @Test func standardDelimitersAreStarGreaterCaretTilde() {
        let standard = X12Delimiters.standard
        #expect([standard.element, standard.component, standard.repetition, standard.segmentTerminator] == ["*", ">", "^", "~"])
    }

    @Test(
        arguments: [
            ("*", ">", "^", "*", "invalid_delimiter"),
            ("*", "*", nil, "~", "invalid_delimiter"),
            ("*", ">", ">", "~", "invalid_delimiter"),
            ("A", ">", nil, "~", "invalid_delimiter"),
            ("*", "7", nil, "~", "invalid_delimiter"),
            ("*", ">", nil, " ", "invalid_delimiter"),
            ("*", "é", nil, "~", "invalid_delimiter"),
            ("*", ">", nil, "\r\n", "invalid_delimiter"),
        ] as [(Character, Character, Character?, Character, String)]
    )
    func rejectsBadDelimiterSets(element: Character, component: Character, repetition: Character?, terminator: Character, code: String) {
        #expect(throws: X12Error.self) {
            try X12Delimiters(element: element, component: component, repetition: repetition, segmentTerminator: terminator)
        }
        do {
            _ = try X12Delimiters(element: element, component: component, repetition: repetition, segmentTerminator: terminator)
        } catch {
            #expect(error.code == code)
            #expect(error.segmentPosition == 1)
            #expect(error.segmentID == "ISA")
        }
    }

    @Test func acceptsControlCharacterDelimiters() throws {
        let delimiters = try X12Delimiters(element: "\u{1D}", component: "\u{1F}", repetition: "\u{1E}", segmentTerminator: "\u{1C}")
        #expect(delimiters.element == "\u{1D}")
    }

    @Test func rejectsAComponentSeparatorThatIsAlsoTheElementSeparator() {
        var isa = Fixtures.purchaseOrder[0]
        isa.removeLast()
        isa.append("*")
        let text = Fixtures.text(Fixtures.replacing(Fixtures.purchaseOrder, at: 1, with: isa))
        let errors = X12Parser.validate(text)
        #expect(errors.map(\.code) == ["invalid_delimiter"])
        #expect(errors.first?.elementPosition == 16)
        #expect(
            errors.first?.description
                == "segment 1 (ISA), element 16: the component separator (ISA16) '*' is also the element separator; each delimiter must be distinct"
        )
    }

    @Test func rejectsATerminatorThatIsAlsoTheComponentSeparator() {
        let text = Fixtures.render(Fixtures.purchaseOrder, element: "*", component: ">", terminator: ">")
        #expect(X12Parser.validate(text).map(\.code) == ["invalid_delimiter"])
    }

    @Test func rejectsAnAlphanumericDelimiter() {
        let text = Fixtures.render(Fixtures.purchaseOrder, element: "*", component: "X", terminator: "~")
        let error = X12Parser.validate(text).first
        #expect(error?.code == "invalid_delimiter")
        #expect(error?.message == "the component separator (ISA16) 'X' is a letter or digit")
    }

    @Test func rejectsAnAlphanumericRepetitionSeparatorIn00501() {
        let isa = Fixtures.shipNotice[0].replacingOccurrences(of: "*^*00501", with: "*R*00501")
        let error = X12Parser.validate(Fixtures.text(Fixtures.replacing(Fixtures.shipNotice, at: 1, with: isa))).first
        #expect(error?.code == "invalid_delimiter")
        #expect(error?.elementPosition == 11)
    }

    @Test func rejectsTextThatDoesNotStartWithISA() {
        for text in ["", "GS*PO~", " ISA*00*", "\nISA*00*", "IS"] {
            let errors = X12Parser.validate(text)
            #expect(errors.map(\.code) == ["missing_isa"], "\(text.debugDescription)")
            #expect(errors.first?.segmentPosition == 1)
        }
        #expect(throws: X12Error.self) { try X12Delimiters.read(from: "UNA:+.? '") }
    }

    @Test func reportsAByteOrderMarkAndGoesOn() {
        let text = "\u{FEFF}" + Fixtures.text(Fixtures.purchaseOrder)
        let errors = X12Parser.validate(text)
        #expect(errors.map(\.code) == ["byte_order_mark"])
        #expect(throws: X12Error.self) { try X12Delimiters.read(from: text) }
    }

    @Test func aTruncatedISAIsAnISAWidthError() {
        let text = String(Fixtures.text(Fixtures.purchaseOrder).prefix(60))
        let errors = X12Parser.validate(text)
        #expect(errors.map(\.code) == ["isa_width"])
        #expect(errors.first?.segmentPosition == 1)
    }
}
