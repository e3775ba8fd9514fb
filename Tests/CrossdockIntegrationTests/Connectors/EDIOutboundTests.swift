import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The follower that writes 856 and 810 for X12 customers and 940 for X12 3PLs: each document once, numbered from
/// durable sequences, valid to the independent validators, acknowledged by the partner's 997.
@Suite("Outbound X12")
struct EDIOutboundTests {
    /// Books PO `number` from the `acme` partner and ships it through the warehouse API; returns the order.
    static func bookAndShip(
        _ client: some TestClientProtocol,
        _ database: TestDatabase,
        key: String,
        number: String,
        control: Int
    ) async throws -> SalesOrder {
        let po = X12Fixtures.purchaseOrder(number, lines: [("SKU-0005", 3, "10.47"), ("SKU-0006", 1, "11.84")], shipTo: "ST-1-1")
        let answer = try await EDIRouteTests.post(client, X12Fixtures.interchange(control: control, sets: [("850", po)]), key: key)
        try #require(answer.status == .ok, "\(answer.text)")
        let orderID = try #require(try await database.store.orderID(channel: "edi", externalID: "acme:\(number)"))
        for fulfillment in try await database.store.fulfillments(orderID: orderID) {
            let contents = fulfillment.lines.map { #"{"lineNo":\#($0.lineNo),"quantity":\#($0.quantity)}"# }.joined(separator: ",")
            let shipped = try await client.feedback(
                fulfillment.id,
                #"{"type":"shipped","carrier":"UPSN","service":"ground","packages":[{"trackingNumber":"1Z\#(number)","weightGrams":2300,"contents":[\#(contents)]}],"shippedAt":"2026-11-27T16:00:00Z"}"#,
                key: key
            )
            try #require(shipped.status == .ok || shipped.status == .created, "\(shipped.text)")
        }
        return try #require(try await database.store.order(orderID))
    }

    /// Steps `follower` until `orderID` has outbound documents of every set in `sets` (or 20 s pass). An empty step
    /// does not mean the log is read: on PostgreSQL the feed holds events back while an older transaction is open.
    static func drain(_ follower: EDIOutbound, _ database: TestDatabase, orderID: String, sets: Set<String>) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            while try await follower.step() > 0 {}
            let written = Set(try await database.store.ediDocuments(orderID: orderID).filter { $0.direction == .outbound }.map(\.transactionSet))
            if sets.isSubset(of: written) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("a shipped, invoiced EDI order gets one 856 and one 810, valid and matching the invoice to the cent")
    func shipNoticeAndInvoice() async throws {
        try await withHub { client, database, key in
            try await EDIRouteTests.register(client, key: key)
            let order = try await Self.bookAndShip(client, database, key: key, number: "PO-500", control: 200)
            let follower = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            try await Self.drain(follower, database, orderID: order.id, sets: ["855", "856", "810"])
            let outbound = try await database.store.ediDocuments(orderID: order.id).filter { $0.direction == .outbound }
            #expect(outbound.map(\.transactionSet).sorted() == ["810", "855", "856"])

            let notice = try #require(outbound.first { $0.transactionSet == "856" })
            let noticeText = try #require(try await database.store.ediInterchange(notice.interchangeID)?.text)
            let shipNotice = try ShipNotice(transactionSet: try #require(try X12Parser.parse(noticeText).transactionSets.first))
            #expect(shipNotice.orders.first?.purchaseOrderNumber == "PO-500")
            let marks = shipNotice.orders.flatMap(\.packages).flatMap(\.marks)
            let sscc = try #require(marks.first { $0.qualifier == "GM" }?.value)
            #expect(sscc.count == 20 && sscc.hasPrefix("00"))
            _ = try SSCC(sscc)  // the GS1 check digit holds
            try ExternalValidators.expectValid(noticeText, "856")

            let invoiceRecord = try #require(outbound.first { $0.transactionSet == "810" })
            let invoiceText = try #require(try await database.store.ediInterchange(invoiceRecord.interchangeID)?.text)
            let document = try InvoiceDocument(transactionSet: try #require(try X12Parser.parse(invoiceText).transactionSets.first))
            let invoice = try #require(try await database.store.invoices(orderID: order.id).first)
            #expect(document.totalCents == invoice.total.minorUnits)
            try ExternalValidators.expectValid(invoiceText, "810")
        }
    }

    @Test("reading the log again issues nothing twice, and control numbers only go up")
    func idempotentAndMonotonic() async throws {
        try await withHub { client, database, key in
            try await EDIRouteTests.register(client, key: key)
            let order = try await Self.bookAndShip(client, database, key: key, number: "PO-501", control: 201)
            let follower = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            try await Self.drain(follower, database, orderID: order.id, sets: ["855", "856", "810"])
            let before = try await database.store.ediDocuments(orderID: order.id)
            // A second follower from the start of the log (as after losing its cursor) writes nothing new.
            var rewind = UnitOfWork()
            rewind.cursor = CursorAdvance(name: "edi-outbound", from: try await database.store.connectorCursor("edi-outbound"), to: 0)
            guard case .committed = try await database.store.commit(rewind) else { throw TestFailure("rewind conflicted") }
            let again = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            while try await again.step() > 0 {}
            let after = try await database.store.ediDocuments(orderID: order.id)
            #expect(after.map(\.id).sorted() == before.map(\.id).sorted())

            var numbers: [Int] = []
            for _ in 0..<5 { numbers.append(try await database.store.nextControlNumber(partner: "ZZ:ACMEBUYER", kind: "interchange")) }
            #expect(numbers == numbers.sorted() && Set(numbers).count == 5)
            let issued = try await database.store.ediDocuments(partnerID: "acme", limit: 50).filter { $0.direction == .outbound }
            #expect(Set(issued.map(\.interchangeID)).count == issued.count, "one interchange per document here")
        }
    }

    @Test("a partner's 997 marks our documents acknowledged; a rejecting one marks them rejected")
    func acknowledgmentsRecorded() async throws {
        try await withHub { client, database, key in
            try await EDIRouteTests.register(client, key: key)
            let order = try await Self.bookAndShip(client, database, key: key, number: "PO-502", control: 202)
            let follower = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            try await Self.drain(follower, database, orderID: order.id, sets: ["855", "856", "810"])
            let outbound = try await database.store.ediDocuments(orderID: order.id).filter { $0.direction == .outbound }
            let notice = try #require(outbound.first { $0.transactionSet == "856" })
            let invoice = try #require(outbound.first { $0.transactionSet == "810" })
            let accept = ["AK1*SH*\(notice.groupControl)", "AK2*856*\(notice.setControl)", "AK5*A", "AK9*A*1*1*1"]
            let reject = ["AK1*IN*\(invoice.groupControl)", "AK2*810*\(invoice.setControl)", "AK3*IT1*5**8", "AK4*2*358*1", "AK5*R*5", "AK9*R*1*1*0"]
            let text = X12Fixtures.interchange(control: 300, functionalID: "FA", sets: [("997", accept), ("997", reject)])
            let answer = try await EDIRouteTests.post(client, text, key: key)
            #expect(answer.status == .ok, "\(answer.text)")
            let statuses = Dictionary(
                uniqueKeysWithValues: try await database.store.ediDocuments(orderID: order.id).filter { $0.direction == .outbound }.map {
                    ($0.transactionSet, $0)
                }
            )
            #expect(statuses["856"]?.status == "acknowledged")
            #expect(statuses["856"]?.acknowledgedAt != nil)
            #expect(statuses["810"]?.status == "rejected")
            #expect(statuses["810"]?.detail?.contains("IT1") == true)
            #expect(statuses["855"]?.status == "sent")
        }
    }

    @Test("a 940 goes to the 3PL that operates the warehouse, and its 945 ships the fulfilment order")
    func thirdPartyWarehouse() async throws {
        try await withHub { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "3PL-1", lines: #"[{"sku":"SKU-0005","quantity":2}]"#), key: key)
            let fulfillment = try #require(try await database.store.fulfillments(orderID: order.id).first)
            let profile = X12Fixtures.profile(role: "warehouse", warehouse: fulfillment.warehouseID)
            #expect(try await client.send(.put, "/v1/partners/acme", key: key, json: profile).status == .ok)
            let follower = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            try await Self.drain(follower, database, orderID: order.id, sets: ["940"])
            let sent = try await database.store.ediDocuments(orderID: order.id).filter { $0.transactionSet == "940" }
            #expect(sent.count == 1)
            let record = try #require(sent.first)
            let text = try #require(try await database.store.ediInterchange(record.interchangeID)?.text)
            let shippingOrder = try WarehouseShippingOrder(transactionSet: try #require(try X12Parser.parse(text).transactionSets.first))
            #expect(shippingOrder.depositorOrderNumber == X12Identifier.compact(fulfillment.id))
            #expect(X12Identifier.expand(shippingOrder.depositorOrderNumber) == fulfillment.id)
            try ExternalValidators.expectValid(text, "940")

            let advice = X12Fixtures.shippingAdvice(
                fulfillmentID: fulfillment.id,
                shipment: "SHP-1",
                tracking: "1Z3PL0001",
                sku: "SKU-0005",
                quantity: 2
            )
            let answer = try await EDIRouteTests.post(
                client,
                X12Fixtures.interchange(control: 400, functionalID: "SW", sets: [("945", advice)]),
                key: key
            )
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.text.contains("AK9*A*1*1*1"), "\(answer.text)")
            let shipments = try await database.store.shipments(orderID: order.id)
            #expect(shipments.count == 1)
            #expect(shipments.first?.packages.map(\.trackingNumber) == ["1Z3PL0001"])
        }
    }
}
