import CrossdockEDI
import Foundation
import Testing

@Suite("TA1 interchange acknowledgments")
struct InterchangeAcknowledgmentTests {
    static let header = X12InterchangeHeader(
        senderQualifier: "ZZ",
        senderID: "CROSSDOCK",
        receiverQualifier: "ZZ",
        receiverID: "ACMEBUYER",
        date: "261127",
        time: "1200",
        controlNumber: 7
    )

    @Test("a TA1 is written right after the ISA and read back; an interchange may hold TA1s and no group")
    func roundTrip() throws {
        let ta1 = InterchangeAcknowledgment(controlNumber: 101, date: "261126", time: "0930", status: "R", note: "021")
        let interchange = X12Interchange(header: Self.header, acknowledgments: [ta1.segment], groups: [])
        let text = try X12Serializer().serialize(interchange)
        #expect(text.contains("~TA1*000000101*261126*0930*R*021~IEA*0*000000007~"))
        let read = try X12Parser.parse(text)
        #expect(read == interchange)
        #expect(try InterchangeAcknowledgment(try #require(read.acknowledgments.first)) == ta1)
    }

    @Test("a TA1 after a functional group, or with bad values, is an error naming the element")
    func misplacedOrMalformed() throws {
        let base = try X12Serializer().serialize(X12Interchange(header: Self.header, groups: []))
        let bad = base.replacingOccurrences(of: "~IEA", with: "~TA1*12*261126*0930*X*21~IEA")
        let errors = X12Parser.validate(bad)
        #expect(errors.map(\.elementPosition) == [1, 4, 5])
        #expect(errors.allSatisfy { $0.segmentID == "TA1" && $0.code == "invalid_value" })
    }

    @Test("envelope errors map to TA105 notes")
    func notes() {
        func error(_ code: String, _ id: String, _ element: Int?) -> X12Error {
            X12Error(code: code, message: "", segmentPosition: 1, segmentID: id, elementPosition: element)
        }
        #expect(InterchangeAcknowledgment.note(for: error("control_number_mismatch", "IEA", 2)) == "001")
        #expect(InterchangeAcknowledgment.note(for: error("group_count_mismatch", "IEA", 1)) == "021")
        #expect(InterchangeAcknowledgment.note(for: error("isa_width", "ISA", 6)) == "006")
        #expect(InterchangeAcknowledgment.note(for: error("unterminated", "IEA", nil)) == "023")
        #expect(InterchangeAcknowledgment(of: Self.header, errors: []).status == "A")
        #expect(InterchangeAcknowledgment.notes["001"] != nil)
    }
}
