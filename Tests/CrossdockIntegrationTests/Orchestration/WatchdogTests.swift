import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// The watchdog job on a real hub and store, driven by an injected clock: a breach raises one exception however often
/// the job runs, the late fact resolves it, and an order closes once its return window has passed.
@Suite struct WatchdogTests {
    /// The job over `store` with a clock the test moves.
    final class Job: Sendable {
        let store: any Store
        let clock: Mutex<Date>

        init(_ store: any Store, at start: Date) {
            self.store = store
            clock = Mutex(start)
        }

        /// Runs the job once with its clock at `time`.
        func run(at time: Date) async throws -> Watchdogs.Report {
            clock.withLock { $0 = time }
            return try await Watchdogs(store: store, now: { [self] in clock.withLock { $0 } }).step()
        }
    }

    func exceptions(_ client: any TestClientProtocol, order: String? = nil, key: String) async throws -> [OperationsException] {
        try await client.get(ItemsDocument<OperationsException>.self, "/v1/exceptions" + (order.map { "?order=\($0)" } ?? ""), key: key).items
    }

    @Test func aSilentWarehouseRaisesOneExceptionAndItsPickResolvesIt() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "WD-1"), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let job = Job(database.store, at: fulfillment.releasedAt)
            #expect(try await job.run(at: fulfillment.releasedAt.addingTimeInterval(4 * 3600 - 1)).raised.isEmpty)
            let late = fulfillment.releasedAt.addingTimeInterval(4 * 3600)
            let first = try await job.run(at: late)
            #expect(first.raised.map(\.kind) == [.fulfillmentUnacknowledged])
            for minutes in 1...3 {
                let again = try await job.run(at: late.addingTimeInterval(Double(minutes) * 60))
                #expect(again.raised.isEmpty && again.resolved.isEmpty, "one breach, one exception")
            }
            let open = try await exceptions(client, order: order.id, key: key).filter { $0.status == .open }
            try #require(open.count == 1)
            #expect(open[0].fulfillmentOrderID == fulfillment.id && open[0].partner == fulfillment.warehouseID)
            #expect(open[0].watchdogKey == "fulfillment_unacknowledged:\(fulfillment.id)" && open[0].dueAt == late)

            try await client.post(
                "/v1/fulfillments/\(fulfillment.id)/events",
                #"{"type":"picked","lines":[{"lineNo":1,"quantity":2}]}"#,
                key: key
            )
            let resolved = try await job.run(at: late.addingTimeInterval(600))
            #expect(resolved.resolved.map(\.id) == [open[0].id] && resolved.raised.isEmpty)
            let after = try await client.get(OperationsException.self, "/v1/exceptions/\(open[0].id)", key: key)
            #expect(after.status == .resolved && after.resolution == .automatic && after.note == "the warehouse reported a pick")
            #expect(try await job.run(at: late.addingTimeInterval(900)) == Watchdogs.Report())
            // A person cannot claim the watchdog's resolution.
            let other = try await client.createOrder(orderJSON(externalID: "WD-2"), key: key)
            let otherFulfillment = try #require(try await client.fulfillments(of: other.id, key: key).first)
            let raised = try await job.run(at: otherFulfillment.releasedAt.addingTimeInterval(5 * 3600)).raised
            let exception = try #require(raised.first { $0.fulfillmentOrderID == otherFulfillment.id })
            try await client.post("/v1/exceptions/\(exception.id)/resolve", #"{"resolution":"automatic"}"#, key: key, expect: .unprocessableContent)
            // Acknowledged by hand while still late: the watchdog does not raise it again.
            try await client.post("/v1/exceptions/\(exception.id)/resolve", #"{"resolution":"acknowledge","note":"3PL called"}"#, key: key)
            #expect(try await job.run(at: otherFulfillment.releasedAt.addingTimeInterval(6 * 3600)).raised.isEmpty)

            // One resolved by its pick, one by hand: each resolution is announced.
            let events = try await database.store.events(after: 0, limit: 1000).map(\.shortType)
            #expect(events.filter { $0 == "exception.raised" }.count == 2 && events.filter { $0 == "exception.resolved" }.count == 2)
            try await EventSchemaCheck.expectValid(database.store)
        }
    }

    @Test func aBackorderWaitingForALateReceiptIsRaisedAtOnceAndTheArrivalResolvesIt() async throws {
        try await withHub(catalog: Catalog().stocking("SKU-0007", [:]), configuration: .quiet) { client, database, key in
            // The supplier's PO was due yesterday and has not come in: promising counts it as arriving today.
            let now = Date()
            let yesterday = JSONCoding.businessDay(now.addingTimeInterval(-86_400))
            let scheduled = try await client.send(
                .post,
                "/v1/inventory/receipts",
                key: key,
                json:
                    #"{"warehouseId":"WH-EAST","sku":"SKU-0007","quantity":10,"expectedDate":"\#(yesterday)","reference":"PO-LATE","kind":"purchase_order"}"#
            )
            try #require(scheduled.status == .created, "\(scheduled.text)")
            let receipt = try scheduled.json()["id"]?.stringValue ?? ""
            let order = try await client.createOrder(orderJSON(externalID: "WD-LATE", customer: "CUST-002", sku: "SKU-0007", quantity: 4), key: key)
            #expect(order.status == .backordered)
            #expect(order.lines.first?.promisedDate == JSONCoding.businessDay(now))

            let job = Job(database.store, at: now)
            let raised = try await job.run(at: now).raised
            #expect(raised.map(\.kind) == [.backorderOverdue])
            #expect(raised.first?.orderID == order.id && raised.first?.detail.contains("PO-LATE") == true, "\(raised)")
            #expect(try await job.run(at: now.addingTimeInterval(60)).raised.isEmpty, "one exception, not one per run")

            let arrival = try await client.send(.post, "/v1/inventory/receipts/\(receipt)/arrivals", key: key, json: #"{"quantity":10}"#)
            #expect(arrival.status == .ok || arrival.status == .created, "\(arrival.text)")
            let resolved = try await job.run(at: now.addingTimeInterval(120)).resolved
            #expect(resolved.map(\.id) == raised.map(\.id))
            #expect(resolved.first?.note == "the backorder was filled or cancelled", "\(resolved)")
        }
    }

    @Test func aParcelWithoutScansIsLostBySilenceUntilTheCarrierScansIt() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "WD-SHIP"), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let shipment = try await client.ship(fulfillment, quantity: 2, tracking: "1ZSILENT01", key: key)
            let job = Job(database.store, at: shipment.shippedAt)
            // Two business days after any weekday fall within five calendar days.
            let silent = shipment.shippedAt.addingTimeInterval(5 * 86_400)
            let raised = try await job.run(at: silent).raised
            #expect(raised.map(\.kind) == [.shipmentSilent])
            #expect(raised.first?.shipmentID == shipment.id && raised.first?.partner == "UPS")
            #expect(try await job.run(at: silent.addingTimeInterval(60)).raised.isEmpty)
            // The scan arrives late (it happened a minute before the job's clock).
            try await client.track(shipment, "in_transit", at: 5 * 86_400 - 60, key: key)
            let report = try await job.run(at: silent.addingTimeInterval(120))
            #expect(report.raised.isEmpty && report.resolved.map(\.kind) == [.shipmentSilent])
            #expect(report.resolved.first?.note?.hasPrefix("carrier scan at") == true)
            #expect(try await exceptions(client, order: order.id, key: key).allSatisfy { $0.status == .resolved })
        }
    }

    @Test func aChannelThatStopsSendingOrdersIsReportedOnceAndANewOrderResolvesIt() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            for number in 1...3 { _ = try await client.createOrder(orderJSON(externalID: "WD-CH-\(number)"), key: key) }
            let job = Job(database.store, at: Date())
            // The orders came seconds apart: the minimum silence (2 hours) applies.
            let quiet = Date().addingTimeInterval(2 * 3600 + 60)
            let raised = try await job.run(at: quiet).raised
            let silence = try #require(raised.first { $0.kind == .channelSilent })
            #expect(silence.orderID.isEmpty && silence.partner == "api" && raised.count == 1)
            #expect(try await job.run(at: quiet.addingTimeInterval(60)).raised.isEmpty)
            #expect(try await exceptions(client, key: key).filter { $0.kind == .channelSilent }.count == 1)
            _ = try await client.createOrder(orderJSON(externalID: "WD-CH-4"), key: key)
            // The hub stamps the new order with the real time; the job's clock comes back to it.
            let report = try await job.run(at: Date().addingTimeInterval(60))
            #expect(report.resolved.map(\.id) == [silence.id] && report.resolved.first?.note?.hasPrefix("an order arrived at") == true)
            let events = try await database.store.events(after: 0, limit: 1000).filter { $0.shortType.hasPrefix("exception.") }
            #expect(events.map(\.subject) == [silence.id, silence.id])
        }
    }

    @Test func anOrderClosesAfterItsReturnWindowAndStillTakesAReturn() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            let put = try await client.send(.put, "/v1/watchdog-deadlines", key: key, json: #"{"channels":{"api":{"returnWindowDays":10}}}"#)
            #expect(put.status == .ok, "\(put.text)")
            let order = try await client.createOrder(orderJSON(externalID: "WD-CLOSE"), key: key)
            let open = try await client.createOrder(orderJSON(externalID: "WD-OPEN"), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let shipment = try await client.ship(fulfillment, quantity: 2, tracking: "1ZCLOSE001", key: key)
            try await client.track(shipment, "delivered", at: 600, key: key)
            let invoiced = try await client.order(order.id, key: key)
            try #require(invoiced.status == .invoiced)
            let since = try #require(invoiced.history.last?.at)
            let job = Job(database.store, at: since)
            #expect(try await job.run(at: since.addingTimeInterval(10 * 86_400 - 1)).closed.isEmpty)
            let report = try await job.run(at: since.addingTimeInterval(10 * 86_400))
            #expect(report.closed == [order.id])
            #expect(try await job.run(at: since.addingTimeInterval(10 * 86_400 + 60)).closed.isEmpty, "closed once")
            let closed = try await client.order(order.id, key: key)
            #expect(closed.status == .closed && closed.history.last?.status == .closed)
            let events = try await database.store.events(after: 0, limit: 1000).filter { $0.shortType == "order.closed" }
            #expect(events.map(\.subject) == [order.id])

            let reconciliation = try await client.get(JSONValue.self, "/v1/reconciliation", key: key)
            #expect(reconciliation["closedOrders"] == .number(1) && reconciliation["openOrders"] == .number(1))
            #expect(reconciliation["mismatches"]?.arrayValue?.isEmpty == true, "\(reconciliation)")
            #expect(try await client.order(open.id, key: key).status == .released)

            // A return authorised after closure is still handled, and the order stays closed.
            let rma = try await client.post(
                "/v1/returns",
                #"{"orderId":"\#(order.id)","lines":[{"lineNo":1,"quantity":1,"reason":"late damage"}]}"#,
                key: key,
                expect: .created
            ).decode(ReturnAuthorization.self)
            try await client.post(
                "/v1/returns/\(rma.id)/receipts",
                #"{"lines":[{"lineNo":1,"quantity":1,"condition":"restock"}]}"#,
                key: key,
                expect: .created
            )
            let afterReturn = try await client.order(order.id, key: key)
            #expect(afterReturn.status == .closed && afterReturn.lines[0].credited == 1)
            try await EventSchemaCheck.expectValid(database.store)
        }
    }

    @Test func anOpenExceptionKeepsAnOrderOpen() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "WD-EXC"), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let shipment = try await client.ship(fulfillment, quantity: 2, tracking: "1ZEXC00001", key: key)
            try await client.track(shipment, "delivered", at: 600, key: key)
            let since = try #require(try await client.order(order.id, key: key).history.last?.at)
            // Any open exception on the order holds it, here a price mismatch sales operations has not looked at.
            let exception = OperationsException(id: "EX-HELD", kind: .priceMismatch, detail: "held", orderID: order.id, openedAt: since)
            var unit = UnitOfWork()
            unit.exceptions = [.init(exception, expectedVersion: nil)]
            #expect(try await database.store.commit(unit) == .committed(sequences: []))
            let job = Job(database.store, at: since)
            #expect(try await job.run(at: since.addingTimeInterval(31 * 86_400)).closed.isEmpty)
            try await client.post("/v1/exceptions/EX-HELD/resolve", #"{"resolution":"acknowledge"}"#, key: key)
            #expect(try await job.run(at: since.addingTimeInterval(31 * 86_400)).closed == [order.id])
        }
    }

    @Test func deadlinesThatMakeNoSenseAreRefusedNamingTheField() async throws {
        try await withHub(configuration: .quiet) { client, database, key in
            let initial = try await client.get(JSONValue.self, "/v1/watchdog-deadlines", key: key)
            #expect(initial["builtIn"]?["returnWindowDays"] == .number(30) && initial["deadlines"]?["carriers"] == .object([:]))
            let refused = try await client.send(
                .put,
                "/v1/watchdog-deadlines",
                key: key,
                json: #"{"carriers":{"UPS":{"returnWindowDays":5,"scanBusinessDays":0}},"nap":{}}"#
            )
            #expect(refused.status == .unprocessableContent)
            let fields = try refused.json()["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(fields == ["nap", "carriers.UPS.scanBusinessDays", "carriers.UPS.returnWindowDays"], "\(refused.text)")
            #expect(try await database.store.watchdogDeadlines() == nil, "a refused document changes nothing")
            let put = try await client.send(.put, "/v1/watchdog-deadlines", key: key, json: #"{"carriers":{"UPS":{"scanBusinessDays":1}}}"#)
            #expect(put.status == .ok)
            let stored = try await client.get(JSONValue.self, "/v1/watchdog-deadlines", key: key)
            #expect(stored["deadlines"]?["carriers"]?["UPS"]?["scanBusinessDays"] == .number(1))
            #expect(try await database.store.watchdogDeadlines()?.scanBusinessDays(carrier: "UPS") == 1)
        }
    }
}
