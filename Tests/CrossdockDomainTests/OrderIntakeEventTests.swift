import CrossdockDomain
import Foundation
import Testing

@Suite("OrderIntake.decide: events")
struct OrderIntakeEventTests {
    @Test func acceptedOrderEmitsTheLifecycleInOrder() throws {
        let ids = SequentialIDs("e")
        let decision = Fixture.decide(ids: ids)
        let events = decision.events
        let fulfillmentID = try #require(decision.fulfillmentOrders.first?.id)
        #expect(events.map(\.type) == [.orderReceived, .orderValidated, .orderAccepted, .orderAllocated, .fulfillmentReleased, .orderReleased])
        // Ids come from makeID in call order; the fulfilment order takes one in between.
        #expect(events.map(\.id) == ["e1", "e2", "e3", "e4", "e6", "e7"])
        #expect(fulfillmentID == "e5")
        #expect(events.map(\.causationID) == [Fixture.commandID, "e1", "e2", "e3", "e4", "e6"])
        expectChained(events, correlation: Fixture.orderID, firstCause: Fixture.commandID)
        #expect(events.map(\.subject) == ["SO-1", "SO-1", "SO-1", "SO-1", fulfillmentID, "SO-1"])
        #expect(events.allSatisfy { $0.time == Fixture.t0 })
    }

    @Test(arguments: [
        ("accepted", ["order.received", "order.validated", "order.accepted", "order.allocated", "fulfillment.released", "order.released"]),
        ("backordered", ["order.received", "order.validated", "order.accepted", "order.backordered"]),
        ("rejected", ["order.received", "order.rejected"]),
        ("on_hold", ["order.received", "order.validated", "order.on_hold"]),
    ])
    func everyOutcomeChainsCausationAndCorrelatesOnTheOrder(outcome: String, names: [String]) {
        let decision =
            switch outcome {
            case "backordered": Fixture.decide(context: Fixture.context(balances: []))
            case "rejected": Fixture.decide(context: Fixture.context(customer: Fixture.customer(status: .blocked)))
            case "on_hold": Fixture.decide(context: Fixture.context(customer: Fixture.customer(creditHold: .init(reason: "x"))))
            default: Fixture.decide()
            }
        #expect(decision.events.shortNames == names)
        expectChained(decision.events, correlation: Fixture.orderID, firstCause: Fixture.commandID)
    }

    @Test func orderEventDataDecodesAndTracksTheStatus() throws {
        let decision = Fixture.decide()
        let orderEvents = decision.events.filter { $0.type != .fulfillmentReleased }
        // Every order event carries at least the status payload.
        let statuses = try orderEvents.map { try JSONCoding.decoder().decode(OrderStatusData.self, from: $0.data) }
        #expect(statuses.map(\.status) == [.received, .validated, .accepted, .allocated, .released])
        #expect(statuses.allSatisfy { $0.orderId == "SO-1" && $0.externalId == "EXT-1" && $0.customerId == "C-1" && $0.channel == "api" })
        #expect(statuses.allSatisfy { $0.total == Fixture.usd(3_267) })
        #expect(statuses[4] == OrderStatusData(decision.order))
        // order.received, order.accepted (what an ERP books) and order.allocated carry the lines; pure status
        // transitions do not.
        let full = try orderEvents.filter { [.orderReceived, .orderAccepted, .orderAllocated].contains($0.type) }
            .map { try JSONCoding.decoder().decode(OrderEventData.self, from: $0.data) }
        #expect(full.count == 3)
        #expect(full[0].lines.map(\.status) == [.open, .open])
        #expect(full[0].lines.map(\.open) == [2, 4])
        #expect(full[0].allocations == nil)
        #expect(full[1].status == .accepted)
        #expect(full[1].lines.map(\.sku) == ["A", "B"])
        #expect(
            full[2].allocations == [
                .init(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 2),
                .init(lineNo: 2, sku: "B", warehouseID: "W1", quantity: 4),
            ]
        )
        #expect(full[2].lines.map(\.unitPrice) == [Fixture.usd(1_000), Fixture.usd(250)])
        for event in orderEvents where [.orderValidated, .orderReleased].contains(event.type) {
            #expect(throws: DecodingError.self) { try JSONCoding.decoder().decode(OrderEventData.self, from: event.data) }
        }
    }

    @Test func fulfillmentReleasedCarriesTheFulfillmentOrder() throws {
        let decision = Fixture.decide()
        let event = try #require(decision.events.first { $0.type == .fulfillmentReleased })
        let decoded = try JSONCoding.decoder().decode(FulfillmentOrder.self, from: event.data)
        #expect(decoded == decision.fulfillmentOrders[0])
    }

    @Test func rejectedAndBackorderedPayloadsCarryTheReasons() throws {
        let rejected = Fixture.decide(context: Fixture.context(customer: Fixture.customer(status: .blocked)))
        let rejectedData = try JSONCoding.decoder().decode(OrderEventData.self, from: rejected.events[1].data)
        #expect(rejectedData.status == .rejected)
        #expect(rejectedData.reasons.map(\.code) == ["account_blocked"])
        #expect(rejectedData.lines.map(\.status) == [.rejected, .rejected])

        let backordered = Fixture.decide(context: Fixture.context(balances: []))
        let backorderedData = try JSONCoding.decoder().decode(OrderEventData.self, from: backordered.events[3].data)
        #expect(backorderedData.status == .backordered)
        #expect(backorderedData.lines.map(\.backordered) == [2, 4])
        #expect(backorderedData.reasons.map(\.lineNo) == [1, 2])
    }

    @Test func everyPayloadIsAJSONObjectWithSortedKeysAndCamelCaseIds() throws {
        let decision = Fixture.decide()
        for event in decision.events {
            let value = try JSONCoding.decoder().decode(JSONValue.self, from: event.data)
            guard case .object(let members) = value else {
                Issue.record("\(event.type) data is not an object")
                continue
            }
            #expect(members["orderId"]?.stringValue == "SO-1", "\(event.type)")
            let object = try #require(try JSONSerialization.jsonObject(with: event.data) as? [String: Any])
            #expect(!object.isEmpty)
            let text = String(decoding: event.data, as: UTF8.self)
            #expect(!text.contains("\n"))
        }
        let releasedText = String(decoding: decision.events[4].data, as: UTF8.self)
        #expect(releasedText.contains(#""releasedAt":"2023-11-14T22:13:20.000Z""#))
        #expect(releasedText.contains(#""warehouseId":"W1""#))
    }

    @Test func idsAreUniqueAcrossEventsAndFulfillmentOrders() {
        let balances = [InventoryBalance(warehouseID: "W2", sku: "B", onHand: 10), InventoryBalance(warehouseID: "W1", sku: "A", onHand: 10)]
        let decision = Fixture.decide(context: Fixture.context(balances: balances))
        let all = decision.events.map(\.id) + decision.fulfillmentOrders.map(\.id)
        #expect(Set(all).count == all.count)
        #expect(decision.events.filter { $0.type == .fulfillmentReleased }.map(\.subject) == decision.fulfillmentOrders.map(\.id))
    }
}
