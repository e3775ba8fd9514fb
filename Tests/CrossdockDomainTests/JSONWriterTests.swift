import CrossdockDomain
import Foundation
import Testing

/// The hand-written JSON of hot types must be byte for byte what `JSONEncoder` writes, so documents and events
/// read the same whichever path wrote them.
@Suite("JSONWriter") struct JSONWriterTests {
    func expectIdentical<T: JSONWritable & Decodable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fast = try JSONCoding.encode(value)
        let reference = try JSONCoding.encoder().encode(value)
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: reference, as: UTF8.self), sourceLocation: sourceLocation)
        #expect(
            try JSONCoding.decoder().decode(T.self, from: fast) == (try JSONCoding.decoder().decode(T.self, from: reference)),
            sourceLocation: sourceLocation
        )
    }

    @Test func decidedOrdersEventsAndFulfilmentOrdersMatchJSONEncoder() throws {
        let outcomes = [
            Fixture.decide(),
            Fixture.decide(context: Fixture.context(balances: [])),
            Fixture.decide(context: Fixture.context(customer: Fixture.customer(status: .blocked))),
            Fixture.decide(Fixture.request(shipPolicy: .shipComplete, requestedDate: nil)),
        ]
        for decision in outcomes {
            try expectIdentical(decision.order)
            for fulfillment in decision.fulfillmentOrders { try expectIdentical(fulfillment) }
            try expectIdentical(OrderEventData(decision.order))
            try expectIdentical(OrderStatusData(decision.order))
            for event in decision.events {
                let reference = try JSONCoding.decoder().decode(JSONValue.self, from: event.data)
                #expect(reference != .null)
            }
        }
    }

    @Test func integersAreWrittenAsTheirDecimalDigits() {
        let values: [Int64] = [0, 7, -7, 10, 99, 100, -100, 1_234_567, Int64(Int32.max) + 1, .max, .min]
        for value in values {
            var writer = JSONWriter()
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
        var wide = JSONWriter()
        wide.integer(UInt64.max)
        #expect(String(decoding: wide.bytes, as: UTF8.self) == String(UInt64.max))
    }

    @Test func stringsAreEscapedLikeJSONEncoder() throws {
        let awkward = [
            "plain", "quote \" and backslash \\ and slash /", "line\nbreak\ttab\rcr", "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "unicode é 日本 \u{2028} 🚚", "",
        ]
        for text in awkward {
            let address = Address(name: text, lines: [text, text], city: text, region: "US-NY", postalCode: text, country: "US")
            try expectIdentical(address)
            try expectIdentical(SalesOrder.Reason(code: text, message: text, lineNo: nil))
        }
    }

    @Test func linesWithSeveralWarehousesAndEveryBucketMatch() throws {
        var line = OrderLine(lineNo: 7, sku: "A", quantity: 40, unitPrice: Fixture.usd(-5), priceSource: "price_list:P", tax: Fixture.usd(0))
        line.open = 1
        line.backordered = 1
        line.released = 20
        line.shipped = 10
        line.cancelled = 3
        line.rejected = 2
        line.allocated = 4
        line.picked = 12
        line.shortPicked = 1
        line.warehouseQuantities = ["W2": 4, "W10": 10, "A-1": 10, "w1": 0]
        try expectIdentical(line)
        try expectIdentical(Money(Int64.min, .usd))
        try expectIdentical(Money(Int64.max, Fixture.eur))
    }
}
