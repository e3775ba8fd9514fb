import CrossdockDomain
import CrossdockEDI
import Foundation
import Testing

@Suite("856 ship notice")
struct ShipNoticeTests {
    static func notice(packages: Int = 2, carrier: String = "UPSN") throws -> ShipNotice {
        try ShipNotice(
            shipment: OutboundFixtures.shipment(carrier: carrier, packages: packages),
            order: OutboundFixtures.order(),
            products: OutboundFixtures.products,
            warehouse: OutboundFixtures.warehouse,
            shipFrom: OutboundFixtures.warehouseAddress,
            ssccs: OutboundFixtures.ssccs(packages),
            billOfLading: "BOL-55"
        )
    }

    @Test func writesTheHierarchy() async throws {
        let set = try Self.notice().transactionSet()
        let text = try await OutboundFixtures.text([set], functionalID: "SH")
        let lines = text.split(separator: "~").map(String.init)
        #expect(lines.contains("BSN*00*SHP-1001*20250315*1405*0001"))
        #expect(
            lines.filter { $0.hasPrefix("HL*") } == ["HL*1**S*1", "HL*2*1*O*1", "HL*3*2*P*1", "HL*4*3*I*0", "HL*5*3*I*0", "HL*6*2*P*1", "HL*7*6*I*0"]
        )
        #expect(lines.contains("TD1*CTN25*2****G*7.35*KG"))
        #expect(lines.contains("TD5**2*UPSN**GROUND"))
        #expect(lines.contains("REF*BM*BOL-55"))
        #expect(lines.contains("REF*CN*1Z999AA10123456784"))
        #expect(lines.contains("DTM*011*20250315*140512*UT"))
        #expect(lines.contains("PRF*PO-7781***20250314"))
        #expect(lines.contains("MAN*GM*00006141410000001002"))
        #expect(lines.contains("MAN*CP*1Z999AA10123456784"))
        #expect(lines.contains("LIN*1*VP*WID-100*UP*012345678905"))
        #expect(lines.contains("LIN*2*VP*GAD-220*EN*4006381333931"))
        #expect(lines.contains("SN1*3*60*EA**100*EA"))
        #expect(lines.contains("CTT*7"))
        #expect(lines.contains("N1*ST*ACME STORE 42*92*0042"))
        #expect(lines.contains("N4*PORTLAND*ME*04101*US"))

    }
}
