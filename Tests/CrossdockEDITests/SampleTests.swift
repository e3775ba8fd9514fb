import CrossdockEDI
import Foundation
import Testing

/// What the envelope layer must do with one shared sample.
enum SampleOutcome: Sendable {
    /// Parses; the transaction set IDs in order.
    case parses([String])
    /// Rejected with exactly these errors (`code@segment.element`); the first is what `parse` throws.
    case rejected([String])
}

/// One sample, its expected outcome and the defect SOURCES.md / VALIDATORS.md describe.
struct SampleExpectation: CustomTestStringConvertible, Sendable {
    var file: String
    var outcome: SampleOutcome
    var defect: String

    var testDescription: String { file }
}

/// Every X12 file in shared/samples/x12. The samples stay outside the repository; these tests read them in place.
/// Defects that live inside a transaction set (syntax notes, code lists, element lengths) are not envelope errors:
/// those files parse here and are for the 850/856/810/997 layer.
private let sampleTable: [SampleExpectation] = [
    .init(file: "810-850-staedi-dual-group-004010.edi", outcome: .parses(["810", "810", "850"]), defect: "none: two groups, 004010 and 003010"),
    .init(
        file: "810-edinet-ariba-004010.edi",
        outcome: .rejected(["byte_order_mark@1", "isa_width@1.2", "isa_width@1.4", "isa_width@1.8"]),
        defect: "BOM; ISA not padded"
    ),
    .init(
        file: "810-edinet-ariba-tax-004010.edi",
        outcome: .rejected(["byte_order_mark@1", "isa_width@1.2", "isa_width@1.4", "isa_width@1.8"]),
        defect: "BOM; ISA not padded"
    ),
    .init(file: "810-staedi-buysnacks-004010.edi", outcome: .parses(["810", "810"]), defect: "none: two 810s in one group"),
    .init(
        file: "810-x12types-adobe-004010.edi",
        outcome: .rejected(["isa_width@1.2", "isa_width@1.4", "isa_width@1.6", "isa_width@1.8", "segment_count_mismatch@47.1"]),
        defect: "ISA not padded (and SE01 44 for 45 segments, which the validators did not reach)"
    ),
    .init(file: "810-x12types-edi2xml-005010.edi", outcome: .parses(["810"]), defect: "none"),
    .init(
        file: "850-ediengine-syntaxnotes-err-004010.edi",
        outcome: .parses(["850"]),
        defect: "syntax notes (PO106 without PO107): transaction-level, not envelope"
    ),
    .init(
        file: "850-edinet-basic-004010.edi",
        outcome: .rejected([
            "byte_order_mark@1", "invalid_value@1.2", "invalid_value@1.4", "invalid_value@1.6", "invalid_value@1.8",
            "control_number_mismatch@15.2",
        ]),
        defect: "BOM; ISA13 (000000055) differs from IEA02 (000000001); the ISA pads with U+00A0"
    ),
    .init(
        file: "850-edinet-issue135-malformed-004010.edi",
        outcome: .rejected([
            "invalid_value@2.8", "invalid_value@3.2", "invalid_value@89.2", "invalid_value@90.2", "duplicate_control_number@90.2",
            "invalid_value@184.2", "invalid_value@185.2", "control_number_mismatch@185.2", "unterminated@186", "invalid_value@186.2",
            "control_number_mismatch@186.2",
        ]),
        defect: "no ISA16: the ~ is read as ISA16 and the line feed as terminator, so envelope elements end in ~; last line unterminated"
    ),
    .init(
        file: "850-edinet-multiparty-004010.edi",
        outcome: .rejected([
            "byte_order_mark@1", "invalid_value@1.2", "invalid_value@1.4", "invalid_value@1.6", "isa_width@1.8", "invalid_value@1.8",
            "control_number_mismatch@54.2",
        ]),
        defect: "BOM; ISA08 not padded to 15 (and ISA13 ≠ IEA02)"
    ),
    .init(file: "850-nodex12-newline-terminated-004010.edi", outcome: .parses(["850"]), defect: "none: newline terminator"),
    .init(file: "850-nodex12-vics-004010.edi", outcome: .parses(["850"]), defect: "none: GS08 004010VICS"),
    .init(file: "850-x12types-buysnacks-004010.edi", outcome: .parses(["850"]), defect: "none: the reference good 850"),
    .init(file: "855-nodex12-004010.edi", outcome: .parses(["855"]), defect: "none"),
    .init(
        file: "855-x12types-dandh-004010.edi",
        outcome: .rejected(["isa_width@1.2", "isa_width@1.4", "isa_width@1.6", "isa_width@1.8", "segment_count_mismatch@8.1"]),
        defect: "ISA not padded (and SE01 10 for 6 segments)"
    ),
    .init(file: "856-ediengine-crossdock-004010.edi", outcome: .parses(["856"]), defect: "none: S/O/P/I hierarchy"),
    .init(
        file: "856-nodex12-004060.edi",
        outcome: .parses(["856"]),
        defect: "ISA11 '-' repeats, and data such as REF02 999999-001 contains '-': splits as two repetitions (checked below)"
    ),
    .init(
        file: "856-x12types-fisher-pickpack-004010.edi",
        outcome: .rejected(["isa_width@1.2", "isa_width@1.4", "isa_width@1.6", "isa_width@1.8"]),
        defect: "ISA not padded"
    ),
    .init(
        file: "856-x12types-sopi-004010.edi",
        outcome: .rejected(["isa_width@1.2", "isa_width@1.4", "isa_width@1.6", "isa_width@1.8", "segment_count_mismatch@20.1"]),
        defect: "ISA not padded; SE01 wrong"
    ),
    .init(
        file: "856-x12types-walmart-style-004010.edi",
        outcome: .rejected(["set_count_mismatch@47.1"]),
        defect: "GE01=2 for 1 set (GS01 IN and DTM02 are transaction-level)"
    ),
    .init(file: "940-ediengine-004010.edi", outcome: .rejected(["unterminated@13"]), defect: "last segment (IEA) unterminated"),
    .init(
        file: "940-x12types-1edisource-004010.edi",
        outcome: .rejected(["control_number_mismatch@32.2", "invalid_value@33.2", "control_number_mismatch@33.2"]),
        defect: "GS06 ≠ GE02, ISA13 ≠ IEA02 (IEA02 is also not 9 digits)"
    ),
    .init(file: "940-x12types-babelway-004010.edi", outcome: .parses(["940"]), defect: "N402 too long: transaction-level"),
    .init(file: "940-x12types-generalmills-004010.edi", outcome: .parses(["940"]), defect: "none: GS08 004010UCS"),
    .init(
        file: "945-x12types-004010.edi",
        outcome: .rejected(["isa_width@1.2", "isa_width@1.4", "isa_width@1.6", "isa_width@1.8", "segment_count_mismatch@18.1"]),
        defect: "ISA not padded (and SE01 12 for 16 segments)"
    ),
    .init(file: "997-staedi-005010.edi", outcome: .parses(["997"]), defect: "none"),
    .init(file: "997-staedi-invalid-005010.edi", outcome: .parses(["997"]), defect: "bad AK101/AK402: transaction-level"),
]

private let samplesPresent = FileManager.default.fileExists(atPath: Fixtures.samplesDirectory)

private func sampleText(_ file: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.samplesDirectory + "/" + file))
    return String(decoding: data, as: UTF8.self)
}

private func summary(_ error: X12Error) -> String {
    "\(error.code)@\(error.segmentPosition)" + (error.elementPosition.map { ".\($0)" } ?? "")
}

@Suite(
    "Shared X12 samples",
    .enabled(if: samplesPresent, "shared/samples/x12 is absent (looked in \(Fixtures.samplesDirectory)); sample checks skipped")
)
struct SampleTests {
    @Test func theTableCoversEveryX12Sample() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samplesDirectory).filter { $0.hasSuffix(".edi") }
        #expect(Set(files) == Set(sampleTable.map(\.file)))
    }

    @Test(arguments: sampleTable)
    func sampleHasItsExpectedOutcome(_ sample: SampleExpectation) throws {
        let text = try sampleText(sample.file)
        let errors = X12Parser.validate(text)
        switch sample.outcome {
        case .parses(let sets):
            #expect(errors.isEmpty, "\(sample.file): \(errors.map(\.description))")
            let interchange = try X12Parser.parse(text)
            #expect(interchange.transactionSets.map(\.id) == sets)
            // Written back with the standard delimiters, it reads the same.
            let written = try X12Serializer(newlineAfterSegment: true).serialize(interchange)
            #expect(try X12Parser.parse(written) == interchange)
        case .rejected(let expected):
            #expect(errors.map(summary) == expected, "\(sample.file) (\(sample.defect)): \(errors.map(\.description))")
            do {
                _ = try X12Parser.parse(text)
                Issue.record("\(sample.file) parsed but has: \(sample.defect)")
            } catch {
                #expect(error == errors.first)
            }
        }
    }

    @Test func walmartStyleNamesGE01() throws {
        let error = X12Parser.validate(try sampleText("856-x12types-walmart-style-004010.edi")).first
        #expect(error?.description == "segment 47 (GE), element 1: GE01 is 2 but the group has 1 transaction set")
    }

    @Test func isaNotPaddedNamesTheElement() throws {
        let error = X12Parser.validate(try sampleText("855-x12types-dandh-004010.edi")).first
        #expect(error?.description == "segment 1 (ISA), element 2: ISA02 is 1 character wide but the standard fixes it at 10")
    }

    @Test func issue135PointsAtTheMissingISA16() throws {
        let error = X12Parser.validate(try sampleText("850-edinet-issue135-malformed-004010.edi")).first
        #expect(error?.segmentPosition == 2)
        #expect(error?.message.contains("is ISA16 missing") == true)
    }

    @Test func node856RepetitionSeparatorAmbiguity() throws {
        let interchange = try X12Parser.parse(try sampleText("856-nodex12-004060.edi"))
        let ref = try #require(interchange.transactionSets.first?.segments.first { $0.id == "REF" && $0.value(1) == "BM" })
        #expect(ref.element(2)?.repetitions.map(\.raw) == ["999999", "001"])
    }

    @Test func dualGroupKeepsBothVersions() throws {
        let interchange = try X12Parser.parse(try sampleText("810-850-staedi-dual-group-004010.edi"))
        #expect(interchange.groups.map(\.version) == ["004010", "003010"])
        #expect(interchange.groups.map(\.date) == ["19960807", "020906"])
    }
}
