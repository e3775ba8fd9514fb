import CrossdockDomain
import CrossdockEDI
import Foundation
import Testing

/// Helpers for the document tests: shared samples read in place, and own fixtures.
enum DocumentFixtures {
    /// Whether shared/samples/x12 is there.
    static let samplesPresent = FileManager.default.fileExists(atPath: Fixtures.samplesDirectory)

    /// The message the sample suites skip with.
    static let skipMessage: Comment = "shared/samples/x12 is absent (looked in \(Fixtures.samplesDirectory)); sample document checks skipped"

    /// A sample's text, read in place.
    static func sample(_ file: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixtures.samplesDirectory + "/" + file)), as: UTF8.self)
    }

    /// The first transaction set of `text`, read even when the envelope has errors.
    static func firstSet(_ text: String) -> X12TransactionSet? {
        InboundInterchange.read(text).groups.first?.sets.first?.set
    }

    /// The partner the 850 fixtures come from.
    static let partner = TradingPartner(
        id: "acme",
        name: "Acme Retail",
        customerID: "CUST-ACME",
        isaID: "ACMERETAIL",
        gsCode: "ACMERETAIL",
        ourISAID: "CROSSDOCK",
        ourGSCode: "CROSSDOCK",
        buyerPartNumbers: ["B-100": "WID-100"]
    )

    /// An 850 body written for these tests (segments between ST and SE).
    static let purchaseOrderBody: [String] = [
        "BEG*00*SA*PO-7781**20250314",
        "CUR*BY*USD",
        "REF*DP*042",
        "CSH*SC",
        "DTM*002*20250321",
        "DTM*010*20250318",
        "N1*ST*ACME STORE 42*92*0042",
        "N3*17 HARBOR ROAD",
        "N4*PORTLAND*ME*04101*US",
        "N1*BT*ACME RETAIL HQ*92*HQ",
        "PO1*1*12*EA*4.25*PE*UP*012345678905*VN*WID-100",
        "PID*F****WIDGET, BLUE",
        "PO1*2*3*EA*19.9900*PE*BP*B-100",
        "PO1*A3*1*EA***UP*099999999999",
        "CTT*3",
    ]

    /// `body` wrapped in ST/SE, GS/GE and ISA/IEA (SE01 counted).
    static func interchange(_ body: [String], set: String = "850", functionalID: String = "PO", version: String = "004010") -> String {
        let isaVersion = version >= "005010" ? "00501" : "00401"
        let repetition = version >= "005010" ? "^" : "U"
        let segments =
            [
                "ISA*00*          *00*          *ZZ*ACMERETAIL     *ZZ*CROSSDOCK      *250314*0930*\(repetition)*\(isaVersion)*000000101*0*T*>",
                "GS*\(functionalID)*ACMERETAIL*CROSSDOCK*20250314*0930*101*X*\(version)",
                "ST*\(set)*0001",
            ] + body + ["SE*\(body.count + 2)*0001", "GE*1*101", "IEA*1*000000101"]
        return Fixtures.text(segments)
    }

    /// A set from segment strings written with `*`.
    static func set(_ id: String, _ body: [String]) -> X12TransactionSet {
        X12TransactionSet(
            id: id,
            controlNumber: "0001",
            segments: body.map { line in
                let parts = line.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
                return X12Segment(parts[0], Array(parts.dropFirst()))
            }
        )
    }

    /// `code@setPosition.element` summaries.
    static func summary(_ errors: [X12SetError]) -> [String] {
        errors.map {
            "\($0.segmentID)@\($0.setPosition)" + ($0.elementPosition.map { ".\($0)" } ?? "")
                + ($0.elementCode.map { ":\($0.rawValue)" } ?? $0.segmentCode.map { "/\($0.rawValue)" } ?? "")
        }
    }
}
