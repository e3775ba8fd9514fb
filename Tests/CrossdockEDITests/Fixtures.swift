import CrossdockEDI
import Foundation

/// Interchanges written for these tests (not copied from anywhere): a small 850 purchase order, a two-set 856 ship
/// notice in 00501 with composites and repetitions, and a two-group 810/855 interchange. Segments are written with `*`,
/// `>`, `^`, `~`; ``Fixtures/render(_:element:component:repetition:terminator:after:)`` swaps in other delimiters.
enum Fixtures {
    /// An 850 with one set of 13 segments (ST to SE). Positions: ISA 1, GS 2, ST 3, ..., CTT 14, SE 15, GE 16, IEA 17.
    static let purchaseOrder: [String] = [
        "ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMERETAIL     *250314*0930*U*00401*000000101*0*T*>",
        "GS*PO*ACMERETAIL*CROSSDOCK*20250314*0930*101*X*004010",
        "ST*850*0001",
        "BEG*00*SA*PO-7781**20250314",
        "REF*DP*042",
        "DTM*002*20250321",
        "N1*ST*ACME STORE 42*92*0042",
        "N3*17 HARBOR ROAD",
        "N4*PORTLAND*ME*04101*US",
        "PO1*1*12*EA*4.25**UP*012345678905*VN*WID-100",
        "PID*F****WIDGET, BLUE",
        "PO1*2*3*CA*19.99**UP*012345678912*VN*GAD-220",
        "PID*F****GADGET, RED",
        "CTT*2",
        "SE*13*0001",
        "GE*1*101",
        "IEA*1*000000101",
    ]

    /// An 856 in 00501 (ISA11 `^` repeats), two sets in one group, a composite REF04 and a repeated element.
    static let shipNotice: [String] = [
        "ISA*00*          *00*          *ZZ*CROSSDOCK      *12*5551234567     *250315*1405*^*00501*000000202*1*P*>",
        "GS*SH*CROSSDOCK*5551234567*20250315*140512*202*X*005010",
        "ST*856*0001",
        "BSN*00*SHP-1001*20250315*1405",
        "HL*1**S",
        "TD5**2*UPSN",
        "REF*BM*BOL-55**ZZ>LOAD7>SEAL9",
        "HL*2*1*O",
        "PRF*PO-7781",
        "HL*3*2*I",
        "LIN**UP*012345678905^VN*WID-100",
        "SN1**12*EA",
        "CTT*3",
        "SE*12*0001",
        "ST*856*0002*005010",
        "BSN*00*SHP-1002*20250315*1406",
        "HL*1**S",
        "CTT*1",
        "SE*5*0002",
        "GE*2*202",
        "IEA*1*000000202",
    ]

    /// Two groups: an 810 invoice (GS 2 to GE 8) and two 855 acknowledgments (GS 9 to GE 16); IEA is 17.
    static let twoGroups: [String] = [
        "ISA*00*          *00*          *01*123456789      *ZZ*CROSSDOCK      *250316*0800*U*00401*000000303*0*P*>",
        "GS*IN*123456789*CROSSDOCK*20250316*0800*31*X*004010",
        "ST*810*3101",
        "BIG*20250316*INV-9*20250314*PO-7781",
        "TDS*5475",
        "CTT*1",
        "SE*5*3101",
        "GE*1*31",
        "GS*PR*123456789*CROSSDOCK*20250316*0801*32*X*004010",
        "ST*855*3201",
        "BAK*00*AC*PO-7781*20250316",
        "SE*3*3201",
        "ST*855*3202",
        "BAK*00*AD*PO-7782*20250316",
        "SE*3*3202",
        "GE*2*32",
        "IEA*2*000000303",
    ]

    /// Joins segments with `~` and a line feed after each.
    static func text(_ segments: [String], newline: Bool = true) -> String {
        segments.map { $0 + "~" + (newline ? "\n" : "") }.joined()
    }

    /// Rewrites fixture segments with other delimiters: every `*`, `>`, `^` (ISA11 when it is `^`) is replaced and each
    /// segment ends with `terminator` followed by `after`.
    static func render(
        _ segments: [String],
        element: Character,
        component: Character,
        repetition: Character = "^",
        terminator: Character,
        after: String = ""
    ) -> String {
        segments.map { segment in
            String(
                segment.map { c -> Character in
                    switch c {
                    case "*": element
                    case ">": component
                    case "^": repetition
                    default: c
                    }
                }
            ) + String(terminator) + after
        }.joined()
    }

    /// `segments` with the segment at 1-based `position` replaced.
    static func replacing(_ segments: [String], at position: Int, with segment: String) -> [String] {
        var copy = segments
        copy[position - 1] = segment
        return copy
    }

    /// `segments` without the segment at 1-based `position`.
    static func removing(_ segments: [String], at position: Int) -> [String] {
        var copy = segments
        copy.remove(at: position - 1)
        return copy
    }

    /// `segments` with `segment` inserted so that it becomes 1-based `position`.
    static func inserting(_ segments: [String], _ segment: String, at position: Int) -> [String] {
        var copy = segments
        copy.insert(segment, at: position - 1)
        return copy
    }

    /// The folder of the shared X12 samples, which lives beside the repository.
    static let samplesDirectory: String = {
        if let configured = ProcessInfo.processInfo.environment["CROSSDOCK_SAMPLES"] { return configured + "/x12" }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Tests/CrossdockEDITests/Fixtures.swift -> main -> work
        let besideRepository = url.appendingPathComponent("shared/samples/x12").path
        if FileManager.default.fileExists(atPath: besideRepository) { return besideRepository }
        return "/work/shared/samples/x12"
    }()
}

/// A small seeded generator (SplitMix64) so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
