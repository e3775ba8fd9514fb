import CrossdockDomain
import Foundation
import Testing

@Suite struct ExceptionWorkflowDomainTests {
    let opened = Date(timeIntervalSince1970: 1_000_000)
    let dana = OperationsException.Actor(keyId: "K1", name: "dana")

    @Test func eachResolutionFitsOnlyItsKinds() throws {
        let lost = OperationsException(id: "E1", kind: .deliveryException, detail: "lost", orderID: "O1", shipmentID: "S1", openedAt: opened)
        try lost.check(.reship)
        try lost.check(.credit)
        #expect(throws: CommandError.self) { try lost.check(.cancelRemainder) }
        let price = OperationsException(id: "E2", kind: .priceMismatch, detail: "", orderID: "O1", lineNo: 1, openedAt: opened)
        do {
            try price.check(.reship)
            Issue.record("reship fits no price mismatch")
        } catch {
            #expect(error.code == "invalid_resolution" && error.errors.map(\.field) == ["resolution"])
        }
        let noShipment = OperationsException(id: "E3", kind: .deliveryException, detail: "lost", orderID: "O1", openedAt: opened)
        #expect(throws: CommandError.self) { try noShipment.check(.reship) }
        let backorder = OperationsException(id: "E4", kind: .backorderOverdue, detail: "", orderID: "O1", openedAt: opened)
        #expect(throws: CommandError.self) { try backorder.check(.substitute) }
        for kind in OperationsException.Kind.allCases {
            #expect(kind.resolutions.contains(.acknowledge) && !kind.resolutions.contains(.automatic))
        }
    }

    @Test func activityRecordsWhoAndCountsOnlyManualTouches() throws {
        var exception = OperationsException(id: "E1", kind: .shipmentSilent, detail: "", orderID: "O1", shipmentID: "S1", openedAt: opened)
        try exception.assign(to: "lee", by: dana, at: opened.addingTimeInterval(10))
        try exception.comment("chasing the carrier", by: dana, at: opened.addingTimeInterval(20))
        try exception.resolve(.reship, note: nil, by: dana, at: opened.addingTimeInterval(90))
        #expect(exception.assignee == "lee" && exception.manualTouches == 3 && exception.version == 4)
        #expect(exception.activity.map(\.action) == [.assigned, .commented, .resolved])
        #expect(exception.timeToResolveSeconds == 90 && exception.status == .resolved)
        #expect(throws: CommandError.self) { try exception.comment("again", by: dana, at: opened) }

        var automatic = OperationsException(id: "E2", kind: .shipmentSilent, detail: "", orderID: "O1", openedAt: opened)
        try automatic.resolve(.automatic, note: "scan", by: .watchdog, at: opened.addingTimeInterval(5))
        #expect(automatic.manualTouches == 0 && automatic.activity.first?.manual == false && automatic.timeToResolveSeconds == 5)
    }

    @Test func olderDocumentsWithoutActivityStillLoad() throws {
        let json =
            #"{"id":"E1","kind":"cancel_refused","detail":"x","orderId":"O1","status":"open","openedAt":"2026-01-01T00:00:00.000Z","version":1}"#
        let exception = try JSONCoding.decoder().decode(OperationsException.self, from: Data(json.utf8))
        #expect(exception.activity.isEmpty && exception.manualTouches == 0 && exception.assignee == nil)
    }
}
