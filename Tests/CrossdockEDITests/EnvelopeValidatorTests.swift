import CrossdockEDI
import Foundation
import Testing

/// One envelope defect and the single error it must produce, with its exact position.
struct EnvelopeCase: CustomTestStringConvertible, Sendable {
    var name: String
    var segments: [String]
    var code: String
    var segment: Int
    var id: String
    var element: Int?
    var description: String? = nil
    /// Codes of further errors the same defect causes, after the first.
    var also: [String] = []

    var testDescription: String { name }
}

private let po = Fixtures.purchaseOrder
private let asn = Fixtures.shipNotice
private let two = Fixtures.twoGroups

private func isa(_ segments: [String], _ replace: (String) -> String) -> [String] {
    Fixtures.replacing(segments, at: 1, with: replace(segments[0]))
}

/// Replaces ISA element `n` (1-based) by `value`, keeping the fixed layout.
private func isaElement(_ segments: [String], _ n: Int, _ value: String) -> [String] {
    isa(segments) { line in
        var parts = line.components(separatedBy: "*")
        parts[n] = value
        return parts.joined(separator: "*")
    }
}

private let singleErrorCases: [EnvelopeCase] = [
    EnvelopeCase(
        name: "SE01 wrong",
        segments: Fixtures.replacing(po, at: 15, with: "SE*12*0001"),
        code: "segment_count_mismatch",
        segment: 15,
        id: "SE",
        element: 1,
        description: "segment 15 (SE), element 1: SE01 is 12 but the set has 13 segments"
    ),
    EnvelopeCase(
        name: "SE02 differs from ST02",
        segments: Fixtures.replacing(po, at: 15, with: "SE*13*0002"),
        code: "control_number_mismatch",
        segment: 15,
        id: "SE",
        element: 2,
        description: "segment 15 (SE), element 2: SE02 is '0002' but ST02 (segment 3) is '0001'"
    ),
    EnvelopeCase(
        name: "GE01 wrong",
        segments: Fixtures.replacing(po, at: 16, with: "GE*2*101"),
        code: "set_count_mismatch",
        segment: 16,
        id: "GE",
        element: 1,
        description: "segment 16 (GE), element 1: GE01 is 2 but the group has 1 transaction set"
    ),
    EnvelopeCase(
        name: "GE02 differs from GS06",
        segments: Fixtures.replacing(po, at: 16, with: "GE*1*102"),
        code: "control_number_mismatch",
        segment: 16,
        id: "GE",
        element: 2,
        description: "segment 16 (GE), element 2: GE02 is '102' but GS06 (segment 2) is '101'"
    ),
    EnvelopeCase(
        name: "IEA01 wrong",
        segments: Fixtures.replacing(po, at: 17, with: "IEA*2*000000101"),
        code: "group_count_mismatch",
        segment: 17,
        id: "IEA",
        element: 1,
        description: "segment 17 (IEA), element 1: IEA01 is 2 but the interchange has 1 functional group"
    ),
    EnvelopeCase(
        name: "IEA02 differs from ISA13",
        segments: Fixtures.replacing(po, at: 17, with: "IEA*1*000000102"),
        code: "control_number_mismatch",
        segment: 17,
        id: "IEA",
        element: 2,
        description: "segment 17 (IEA), element 2: IEA02 is '000000102' but ISA13 is '000000101'"
    ),
    EnvelopeCase(
        name: "ISA06 one character short",
        segments: isaElement(po, 6, "CROSSDOCK     "),
        code: "isa_width",
        segment: 1,
        id: "ISA",
        element: 6,
        description: "segment 1 (ISA), element 6: ISA06 is 14 characters wide but the standard fixes it at 15"
    ),
    EnvelopeCase(
        name: "ISA02 not padded",
        segments: isaElement(po, 2, " "),
        code: "isa_width",
        segment: 1,
        id: "ISA",
        element: 2
    ),
    EnvelopeCase(name: "ISA09 not a date", segments: isaElement(po, 9, "25031A"), code: "invalid_value", segment: 1, id: "ISA", element: 9),
    EnvelopeCase(name: "ISA11 not U before 00402", segments: isaElement(po, 11, "!"), code: "invalid_value", segment: 1, id: "ISA", element: 11),
    EnvelopeCase(name: "ISA14 not 0 or 1", segments: isaElement(po, 14, "2"), code: "invalid_value", segment: 1, id: "ISA", element: 14),
    EnvelopeCase(name: "ISA15 not P, T or I", segments: isaElement(po, 15, "X"), code: "invalid_value", segment: 1, id: "ISA", element: 15),
    EnvelopeCase(
        name: "ISA contains a non-ASCII character",
        segments: isaElement(po, 2, "\u{00A0}         "),
        code: "invalid_value",
        segment: 1,
        id: "ISA",
        element: 2,
        description: "segment 1 (ISA), element 2: ISA02 contains U+00A0; ISA fields must be printable ASCII characters"
    ),
    EnvelopeCase(
        name: "SE missing",
        segments: Fixtures.removing(po, at: 15),
        code: "missing_trailer",
        segment: 3,
        id: "ST",
        element: nil,
        description: "segment 3 (ST): transaction set 0001 has no SE before segment 15 (GE)"
    ),
    EnvelopeCase(
        name: "SE missing before the next ST",
        segments: Fixtures.removing(asn, at: 14),
        code: "missing_trailer",
        segment: 3,
        id: "ST",
        element: nil,
        description: "segment 3 (ST): transaction set 0001 has no SE before segment 14 (ST)"
    ),
    EnvelopeCase(
        name: "GE missing",
        segments: Fixtures.removing(po, at: 16),
        code: "missing_trailer",
        segment: 2,
        id: "GS",
        element: nil,
        description: "segment 2 (GS): functional group 101 has no GE before segment 16 (IEA)"
    ),
    EnvelopeCase(
        name: "GE missing before the next GS",
        segments: Fixtures.removing(two, at: 8),
        code: "missing_trailer",
        segment: 2,
        id: "GS",
        element: nil,
        description: "segment 2 (GS): functional group 31 has no GE before segment 8 (GS)"
    ),
    EnvelopeCase(
        name: "IEA missing",
        segments: Fixtures.removing(po, at: 17),
        code: "missing_trailer",
        segment: 1,
        id: "ISA",
        element: nil,
        description: "segment 1 (ISA): the interchange has no IEA"
    ),
    EnvelopeCase(
        name: "segment before the first GS",
        segments: Fixtures.inserting(po, "REF*DP*042", at: 2),
        code: "unexpected_segment",
        segment: 2,
        id: "REF",
        element: nil,
        description: "segment 2 (REF): REF outside any functional group (GS/GE)"
    ),
    EnvelopeCase(
        name: "segment between sets",
        segments: Fixtures.inserting(asn, "REF*BM*X", at: 15),
        code: "unexpected_segment",
        segment: 15,
        id: "REF",
        element: nil,
        description: "segment 15 (REF): REF between transaction sets (outside ST/SE)"
    ),
    EnvelopeCase(
        name: "segment after IEA",
        segments: po + ["REF*DP*042"],
        code: "unexpected_segment",
        segment: 18,
        id: "REF",
        element: nil,
        description: "segment 18 (REF): REF after IEA (segment 17); one interchange per document"
    ),
    EnvelopeCase(
        name: "second ISA",
        segments: Fixtures.inserting(po, po[0], at: 17),
        code: "unexpected_segment",
        segment: 17,
        id: "ISA",
        element: nil
    ),
    EnvelopeCase(
        name: "ST outside a group",
        segments: Fixtures.inserting(
            Fixtures.inserting(Fixtures.inserting(two, "SE*3*3199", at: 9), "BIG*20250316*INV-10", at: 9),
            "ST*810*3199",
            at: 9
        ),
        code: "unexpected_segment",
        segment: 9,
        id: "ST",
        element: nil,
        description: "segment 9 (ST): ST outside any functional group (no open GS)"
    ),
    EnvelopeCase(
        name: "SE without ST",
        segments: Fixtures.inserting(asn, "SE*2*0003", at: 15),
        code: "unexpected_segment",
        segment: 15,
        id: "SE",
        element: nil
    ),
    EnvelopeCase(
        name: "GE without GS",
        segments: Fixtures.inserting(po, "GE*0*9", at: 17),
        code: "unexpected_segment",
        segment: 17,
        id: "GE",
        element: nil
    ),
    EnvelopeCase(
        name: "duplicate group control number",
        segments: Fixtures.replacing(
            Fixtures.replacing(two, at: 9, with: "GS*PR*123456789*CROSSDOCK*20250316*0801*31*X*004010"),
            at: 16,
            with: "GE*2*31"
        ),
        code: "duplicate_control_number",
        segment: 9,
        id: "GS",
        element: 6,
        description: "segment 9 (GS), element 6: GS06 31 repeats a group control number of this interchange"
    ),
    EnvelopeCase(
        name: "duplicate set control number in a group",
        segments: Fixtures.replacing(Fixtures.replacing(two, at: 13, with: "ST*855*3201"), at: 15, with: "SE*3*3201"),
        code: "duplicate_control_number",
        segment: 13,
        id: "ST",
        element: 2
    ),
    EnvelopeCase(
        name: "GE with one element",
        segments: Fixtures.replacing(po, at: 16, with: "GE*1*101*9"),
        code: "element_count",
        segment: 16,
        id: "GE",
        element: 3,
        description: "segment 16 (GE), element 3: GE has 3 elements but must have 2"
    ),
    EnvelopeCase(
        name: "ST with four elements",
        segments: Fixtures.replacing(po, at: 3, with: "ST*850*0001*X*Y"),
        code: "element_count",
        segment: 3,
        id: "ST",
        element: 4
    ),
    EnvelopeCase(
        name: "ST02 too short",
        segments: Fixtures.replacing(Fixtures.replacing(po, at: 3, with: "ST*850*001"), at: 15, with: "SE*13*001"),
        code: "invalid_value",
        segment: 3,
        id: "ST",
        element: 2,
        also: ["invalid_value"]
    ),
    EnvelopeCase(
        name: "GS08 holds the component separator",
        segments: Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*101*X*004010>"),
        code: "invalid_value",
        segment: 2,
        id: "GS",
        element: 8
    ),
    EnvelopeCase(
        name: "GS04 seven digits",
        segments: Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*2025031*0930*101*X*004010"),
        code: "invalid_value",
        segment: 2,
        id: "GS",
        element: 4
    ),
    EnvelopeCase(
        name: "GS07 unknown agency",
        segments: Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*101*Z*004010"),
        code: "invalid_value",
        segment: 2,
        id: "GS",
        element: 7
    ),
    EnvelopeCase(
        name: "GS06 empty",
        segments: Fixtures.replacing(
            Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930**X*004010"),
            at: 16,
            with: "GE*1*"
        ),
        code: "missing_element",
        segment: 2,
        id: "GS",
        element: 6,
        also: ["missing_element"]
    ),
    EnvelopeCase(
        name: "lower-case segment ID",
        segments: Fixtures.replacing(po, at: 5, with: "ref*DP*042"),
        code: "invalid_segment_id",
        segment: 5,
        id: "",
        element: nil
    ),
]

@Suite("X12 envelope validation")
struct EnvelopeValidatorTests {
    @Test func theFixturesAreValid() {
        for segments in [po, asn, two] {
            #expect(X12Parser.validate(Fixtures.text(segments)) == [])
            #expect(X12Parser.validate(Fixtures.text(segments, newline: false)) == [])
        }
    }

    @Test(arguments: singleErrorCases)
    func eachDefectGivesOneErrorAtItsPosition(_ c: EnvelopeCase) throws {
        let text = Fixtures.text(c.segments)
        let errors = X12Parser.validate(text)
        #expect(errors.map(\.code) == [c.code] + c.also, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.segmentPosition == c.segment)
        #expect(error.segmentID == c.id)
        #expect(error.elementPosition == c.element)
        if let description = c.description { #expect(error.description == description) }
        // The byte offset points at the segment's first byte.
        let bytes = Array(text.utf8)
        let offset = error.byteOffset
        #expect(offset >= 0 && offset < bytes.count)
        if !c.id.isEmpty { #expect(Array(bytes[offset..<min(bytes.count, offset + c.id.utf8.count)]) == Array(c.id.utf8)) }
        // parse throws the same first error.
        do {
            _ = try X12Parser.parse(text)
            Issue.record("\(c.name) parsed")
        } catch {
            #expect(error == errors[0])
        }
    }

    @Test func reportsEveryErrorInSegmentOrder() {
        var segments = Fixtures.replacing(po, at: 15, with: "SE*99*0001")
        segments = Fixtures.replacing(segments, at: 16, with: "GE*1*999")
        segments = Fixtures.replacing(segments, at: 17, with: "IEA*3*000000101")
        segments = isaElement(segments, 13, "00000010X")
        let errors = X12Parser.validate(Fixtures.text(segments))
        #expect(
            errors.map(\.description) == [
                "segment 1 (ISA), element 13: ISA13 '00000010X' is not a number",
                "segment 15 (SE), element 1: SE01 is 99 but the set has 13 segments",
                "segment 16 (GE), element 2: GE02 is '999' but GS06 (segment 2) is '101'",
                "segment 17 (IEA), element 1: IEA01 is 3 but the interchange has 1 functional group",
                "segment 17 (IEA), element 2: IEA02 is '000000101' but ISA13 is '00000010X'",
            ]
        )
    }

    @Test func aMissingSTReportsTheOrphanSegmentsAndTheCounts() {
        let errors = X12Parser.validate(Fixtures.text(Fixtures.removing(po, at: 3)))
        #expect(errors.first?.description == "segment 3 (BEG): BEG between transaction sets (outside ST/SE)")
        #expect(errors.contains { $0.code == "unexpected_segment" && $0.segmentID == "SE" && $0.segmentPosition == 14 })
        #expect(errors.contains { $0.code == "set_count_mismatch" && $0.segmentPosition == 15 })
    }

    @Test func groupControlNumbersCompareAsNumbers() {
        let segments = Fixtures.replacing(po, at: 16, with: "GE*1*0101")
        #expect(X12Parser.validate(Fixtures.text(segments)) == [])
    }

    @Test func setControlNumbersMayRepeatInAnotherGroup() {
        let segments = Fixtures.replacing(Fixtures.replacing(two, at: 10, with: "ST*855*3101"), at: 12, with: "SE*3*3101")
        #expect(X12Parser.validate(Fixtures.text(segments)) == [])
    }

    @Test func sixDigitGroupDatesAreAllowedBefore004010() {
        let segments = Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*250314*0930*101*X*003010")
        #expect(X12Parser.validate(Fixtures.text(segments)) == [])
        let in4010 = Fixtures.replacing(po, at: 2, with: "GS*PO*ACMERETAIL*CROSSDOCK*250314*0930*101*X*004010")
        #expect(X12Parser.validate(Fixtures.text(in4010)).map(\.code) == ["invalid_value"])
    }

    @Test func anEmptyInterchangeIsValid() throws {
        let segments = [po[0], "IEA*0*000000101"]
        let interchange = try X12Parser.parse(Fixtures.text(segments))
        #expect(interchange.groups.isEmpty)
    }

    @Test func aMissingISA16HintsAtTheCause() {
        // ISA16 dropped: the ~ becomes ISA16 and the line feed the terminator.
        var isaLine = po[0]
        isaLine.removeLast()
        let text = ([isaLine] + po.dropFirst()).map { $0 + "~\n" }.joined()
        let errors = X12Parser.validate(text)
        let first = errors.first
        #expect(first?.code == "invalid_value")
        #expect(first?.segmentPosition == 2)
        #expect(first?.elementPosition == 8)
        #expect(first?.message.contains("is ISA16 missing") == true)
    }
}
