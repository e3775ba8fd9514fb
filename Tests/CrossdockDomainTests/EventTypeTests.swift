import CrossdockDomain
import Foundation
import Testing

@Suite("EventType")
struct EventTypeTests {
    @Test func qualifiedNameFollowsTheNamingRule() {
        #expect(EventType.orderReceived.qualifiedName == "com.crossdock.order.received.v1")
        #expect(EventType("order.received", version: 3).qualifiedName == "com.crossdock.order.received.v3")
        #expect(EventType.orderReceived.description == "com.crossdock.order.received.v1")
        #expect(EventType.orderReceived.schemaVersion == 1)
    }

    @Test(arguments: EventType.catalogue)
    func catalogueRoundTripsThroughTheQualifiedName(type: EventType) {
        #expect(EventType(qualifiedName: type.qualifiedName) == type)
    }

    @Test(arguments: ["order.received", "price_list.upserted", "fulfillment.short_picked"], [1, 2, 10, 123])
    func roundTripsAnyVersion(name: String, version: Int) throws {
        let parsed = try #require(EventType(qualifiedName: EventType(name, version: version).qualifiedName))
        #expect(parsed.name == name)
        #expect(parsed.schemaVersion == version)
    }

    @Test(arguments: [
        "",
        "com.crossdock",
        "com.crossdock.",
        "org.example.order.received.v1",
        "crossdock.order.received.v1",
        "COM.CROSSDOCK.order.received.v1",
        "com.crossdock.order.received",
        "com.crossdock.order.received.1",
        "com.crossdock.order.received.v",
        "com.crossdock.order.received.vX",
        "com.crossdock.order.received.v1.5",
        "com.crossdock.order.received.",
        "com.crossdock.order.received.V1",
    ])
    func rejectsMalformedNames(text: String) {
        #expect(EventType(qualifiedName: text) == nil)
    }

    @Test func catalogueHasUniqueWellFormedNames() {
        let names = EventType.catalogue.map(\.name)
        #expect(names.count == 56)
        #expect(Set(names).count == names.count)
        #expect(Set(EventType.catalogue.map(\.qualifiedName)).count == names.count)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz_.")
        for name in names {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty }, "\(name) is <aggregate>.<verb>")
            #expect(name.allSatisfy(allowed.contains), "\(name) is lower snake case")
        }
    }

    @Test func everyTypeTheDomainEmitsIsInTheCatalogue() {
        let emitted: [EventType] = [
            .orderReceived, .orderValidated, .orderRejected, .orderOnHold, .orderAccepted, .orderAllocated,
            .orderBackordered, .orderReleased, .orderStatusChanged, .fulfillmentReleased, .fulfillmentPicked,
            .fulfillmentShortPicked, .fulfillmentClosed, .shipmentShipped, .inventoryAdjusted,
        ]
        #expect(emitted.allSatisfy(EventType.catalogue.contains))
    }

    @Test func codableAsTheQualifiedName() throws {
        let data = try JSONEncoder().encode([EventType.shipmentShipped])
        #expect(String(decoding: data, as: UTF8.self) == #"["com.crossdock.shipment.shipped.v1"]"#)
        #expect(try JSONDecoder().decode([EventType].self, from: data) == [.shipmentShipped])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EventType.self, from: Data(#""order.received""#.utf8)) }
    }

    @Test func cloudEventCarriesTypeAndVersion() {
        let event = CloudEvent(
            id: "e1",
            source: "/crossdock/hub",
            type: EventType("order.received", version: 2),
            subject: "SO-1",
            time: Fixture.t0,
            sequence: 42,
            correlationID: "SO-1",
            causationID: nil,
            data: .object(["a": .number(1)])
        )
        #expect(event.type == "com.crossdock.order.received.v2")
        #expect(event.shortType == "order.received")
        #expect(event.schemaversion == "2")
        #expect(event.sequence == "42")
        #expect(event.specversion == "1.0")
        #expect(event.datacontenttype == "application/json")
    }
}
