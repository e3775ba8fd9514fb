import CrossdockDomain
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1

/// The demo's operations desk: what a CSR, the AR clerk and the buyer do through the hub's API while the partners
/// work, and what came of it. Used from one task.
final class DemoRun {
    /// The scarce SKU that gets a substitute (`SKU-0003`).
    static let substitutedIndex = 2
    /// Its substitute, an abundant SKU (`SKU-0030`).
    static let substituteIndex = 29
    /// The customer that accepts substitutes (`CUST-005`).
    static let substitutingCustomerIndex = 4
    /// Regions with a warehouse preference, most preferred first.
    static let regionPreferences = [("US-WA", ["WH-WEST", "WH-CENTRAL"]), ("US-TX", ["WH-CENTRAL", "WH-WEST"]), ("US-PA", ["WH-3PL"])]

    /// One scheduled receipt.
    struct Receipt {
        var id: String
        var sku: String
        var warehouseID: String
        var quantity: Int
        var arrived: Int
    }

    let hub: LocalHub
    let admin: HubClient
    let catalog: Catalog
    /// Ids of the orders the demo submitted itself, by tag.
    var scripted: [String: String] = [:]
    /// Orders on credit hold after intake.
    var held = 0
    /// Holds released after the limit was raised.
    var holdsReleased = 0
    /// Release attempts refused with `credit_refused`.
    var creditRefused = 0
    /// Orders cancelled before release: whole orders and orders with some units cancelled.
    var cancelledWhole = 0
    var cancelledPartly = 0
    /// Orders the demo asked to cancel right after release (the WMS answers).
    var cancelsAfterRelease = 0
    /// Orders that shipped before the cancellation could be asked.
    var cancelsTooLate = 0
    /// Receipts scheduled, in order.
    var receipts: [Receipt] = []
    /// Exceptions resolved, by `kind/detail`.
    var resolved: [String: Int] = [:]
    /// Seconds from raised to resolved, by exception kind.
    var timesToResolve: [String: [Double]] = [:]
    /// Replacement orders the desk's reship resolutions created.
    var replacements: [String] = []
    /// The on-call receiver: the desk resolves an exception once it was paged for it.
    var onCall: SandboxOnCall?
    /// When the desk first saw each open exception.
    var firstSeen: [String: Date] = [:]
    /// Returns taken and received, and the orders they were on.
    var returnsTaken = 0
    var returnedOrders: Set<String> = []
    /// Orders eligible for a return when last looked at.
    var returnCandidates = 0
    /// Units restocked and scrapped from returns, by SKU.
    var restocked: [String: Int] = [:]
    var scrapped = 0
    /// Credit memos the returns issued, and their total in minor units.
    var returnCredits = 0
    var returnCreditMinor: Int64 = 0
    /// Answers the demo did not expect, for the summary.
    var problems: [String] = []
    /// The API order placed in cases.
    var casesOrderID: String?
    /// When the partners were connected (availability computed before reaches the shop when it subscribes).
    var connectedAt = Date()
    /// When the shop's Admin API was taken down.
    var outageStartedAt = Date.distantFuture
    /// Prices changed on the list mid-run, by SKU (new base price, minor units).
    var repriced: [String: Int64] = [:]
    var receiptNumber = 0
    /// The index in ``receipts`` of the purchase order that comes in late, once scheduled.
    var lateReceipt: Int?
    /// Dead deliveries the desk replayed, with how many times.
    var deadLettersReplayed: [Int64: Int] = [:]
    private var complainedAbout: Set<String> = []

    init(hub: LocalHub, admin: HubClient, catalog: Catalog) {
        self.hub = hub
        self.admin = admin
        self.catalog = catalog
    }

    /// Units that arrived on receipts, by SKU.
    var received: [String: Int] { receipts.reduce(into: [:]) { $0[$1.sku, default: 0] += $1.arrived } }

    // MARK: - Calls

    func send(_ method: HTTPMethod, _ path: String, _ body: some Encodable, key: String? = nil) async throws -> HubClient.Answer {
        try await admin.send(method, path, body: Array(try JSONCoding.encoder().encode(body)), idempotencyKey: key)
    }

    func decode<T: Decodable>(_ type: T.Type, _ answer: HubClient.Answer) throws -> T {
        try JSONCoding.decoder().decode(T.self, from: Data(answer.body))
    }

    func order(_ id: String) async throws -> SalesOrder? {
        let answer = try await admin.send(.GET, "/v1/orders/\(id)")
        return answer.status == 200 ? try decode(SalesOrder.self, answer) : nil
    }

    func allOrders() async throws -> [SalesOrder] {
        var result: [SalesOrder] = []
        var cursor: Int64?
        repeat {
            let page = try await hub.store.orders(OrderQuery(afterCursor: cursor, limit: 500))
            result += page.orders
            cursor = page.next
        } while cursor != nil
        return result
    }

    /// Records an answer the demo did not expect (printed once per `what`).
    func unexpected(_ what: String, _ answer: HubClient.Answer) {
        let text = "\(what): \(answer.status) \(answer.text.prefix(300))"
        problems.append(text)
        if complainedAbout.insert(what).inserted { say("  UNEXPECTED \(text)") }
    }

    /// The `code` of a problem document.
    func problemCode(_ answer: HubClient.Answer) -> String? {
        struct Problem: Decodable { var code: String? }
        return (try? JSONDecoder().decode(Problem.self, from: Data(answer.body)))?.code
    }

    func note(_ text: String) { say("  " + text) }

    // MARK: - Set-up

    /// `PUT /v1/region-preferences/{region}` for each preferred region.
    func setRegionPreferences() async throws {
        struct Preference: Encodable { var warehouses: [String] }
        for (region, warehouses) in Self.regionPreferences {
            try await admin.expectSuccess(.PUT, "/v1/region-preferences/\(region)", json: Preference(warehouses: warehouses))
        }
        say("  region preferences: " + Self.regionPreferences.map { "\($0.0) → \($0.1.joined(separator: ", "))" }.joined(separator: "; "))
    }

    /// Submits an order of the demo's own; nil (and a problem) unless 201.
    @discardableResult
    func submit(_ tag: String, customer: Int, lines: [(sku: Int, quantity: Int)], unit: String? = nil) async throws -> SalesOrder? {
        let request = OrderRequest(
            channel: "api",
            externalID: "DEMO-\(tag)",
            customerID: catalog.customers[customer].id,
            customerPO: "PO-\(tag)",
            lines: lines.enumerated().map {
                OrderRequest.Line(
                    lineNo: $0.offset + 1,
                    sku: catalog.products[$0.element.sku].sku,
                    quantity: $0.element.quantity,
                    unitOfMeasure: unit
                )
            }
        )
        let answer = try await send(.POST, "/v1/orders", request, key: "demo-\(tag)")
        guard answer.status == 201 else {
            unexpected("order \(tag)", answer)
            return nil
        }
        let order = try decode(SalesOrder.self, answer)
        scripted[tag] = order.id
        return order
    }

    /// Orders that exercise one rule each: a substitution, a backorder, a ship-complete backorder, a credit hold and
    /// a credit-limit hold.
    func submitScriptedOrders() async throws {
        let substituted = catalog.products[Self.substitutedIndex].sku
        if let order = try await submit("SUBST", customer: Self.substitutingCustomerIndex, lines: [(Self.substitutedIndex, 8)]) {
            if let line = order.lines.first, line.isSubstituted {
                note("substitution: \(order.id) ordered \(line.orderedSKU) ×8 (scarce); the hub filled it with \(line.sku)")
            } else {
                note("substitution: \(order.id) ordered \(substituted) ×8 and was not substituted (\(order.status.rawValue))")
            }
        }
        if let order = try await submit("BACKORDER", customer: 1, lines: [(3, 12)]) {
            note("backorder: \(order.id) wants \(catalog.products[3].sku) ×12 → \(order.status.rawValue)")
        }
        if let order = try await submit("COMPLETE", customer: 3, lines: [(0, 6), (39, 2)]) {
            note("ship-complete: \(order.id) (\(order.shipPolicy.rawValue)) → \(order.status.rawValue)")
        }
        let heldIndex = catalog.customers.firstIndex { $0.id == catalog.heldCustomerID }!
        let nearIndex = catalog.customers.firstIndex { $0.id == catalog.nearLimitCustomerID }!
        if let order = try await submit("HOLD", customer: heldIndex, lines: [(40, 3)]) {
            note(
                "credit hold: \(order.id) from \(order.customerID) → \(order.status.rawValue) (\(order.reasons.map(\.code).joined(separator: ", ")))"
            )
        }
        if let order = try await submit("CASES", customer: 2, lines: [(9, 3)], unit: "CA"), let line = order.lines.first {
            casesOrderID = order.id
            note(
                "cases: \(order.id) ordered \(line.sku) ×3 CA → booked \(line.quantity) EA at \(line.unitPrice.minorUnits) per EA (\(line.priceSource))"
            )
        }
        if let order = try await submit("LIMIT", customer: nearIndex, lines: [(30, 40)]) {
            note(
                "credit limit: \(order.id) from \(order.customerID) → \(order.status.rawValue) (\(order.reasons.map(\.code).joined(separator: ", ")))"
            )
        }
    }

    // MARK: - Credit holds

    /// Tries to release a held order while the account is still over its limit (refused), cancels one held order,
    /// then lifts the accounts' holds and limits and releases the rest.
    func settleCreditHolds() async throws {
        struct Empty: Encodable {}
        struct Cancel: Encodable { var reason: String }
        let onHold = try await allOrders().filter { $0.status == .onHold }.sorted { $0.receivedAt < $1.receivedAt }
        held = onHold.count
        guard let first = onHold.first else {
            note("no order went on credit hold")
            return
        }
        let byCustomer = Dictionary(grouping: onHold, by: \.customerID)
        note("\(onHold.count) order(s) on credit hold: " + byCustomer.keys.sorted().map { "\($0) ×\(byCustomer[$0]!.count)" }.joined(separator: ", "))
        let early = try await send(.POST, "/v1/orders/\(first.id)/release-hold", Empty(), key: "demo-release-early-\(first.id)")
        if answerIsCreditRefused(early) {
            creditRefused += 1
            note("release-hold \(first.id) before the limit is raised → 409 credit_refused")
        } else if early.status == 200 {
            holdsReleased += 1
        } else {
            unexpected("early release-hold \(first.id)", early)
        }
        var remaining = onHold.dropFirst(early.status == 200 ? 1 : 0).map(\.id)
        if onHold.count >= 2, let victim = remaining.last {
            let answer = try await send(.POST, "/v1/orders/\(victim)/cancel", Cancel(reason: "customer request"), key: "demo-cancel-\(victim)")
            if answer.status == 200 {
                cancelledWhole += 1
                remaining.removeLast()
                note("cancelled held order \(victim)")
            } else {
                unexpected("cancel held \(victim)", answer)
            }
        }
        for customerID in Set(onHold.map(\.customerID)).sorted() {
            guard var customer = catalog.customers.first(where: { $0.id == customerID }) else { continue }
            customer.creditHold = nil
            customer.creditLimit = Money(5_000_000_00, customer.creditLimit.currency)
            let answer = try await send(.PUT, "/v1/customers/\(customerID)", customer)
            if !(200..<300).contains(answer.status) { unexpected("raise limit \(customerID)", answer) }
        }
        note("lifted the hold and raised the limit of " + Set(onHold.map(\.customerID)).sorted().joined(separator: ", "))
        var refusedAgain: [String] = []
        for id in remaining {
            let answer = try await send(.POST, "/v1/orders/\(id)/release-hold", Empty(), key: "demo-release-\(id)")
            if answer.status == 200 {
                holdsReleased += 1
            } else if answerIsCreditRefused(answer) {
                creditRefused += 1
                refusedAgain.append(id)
            } else {
                unexpected("release-hold \(id)", answer)
            }
        }
        for id in refusedAgain {
            let answer = try await send(.POST, "/v1/orders/\(id)/cancel", Cancel(reason: "credit refused"), key: "demo-cancel-\(id)")
            if answer.status == 200 { cancelledWhole += 1 } else { unexpected("cancel refused-credit \(id)", answer) }
        }
        note("released \(holdsReleased) held order(s); \(refusedAgain.count) still refused and cancelled")
    }

    private func answerIsCreditRefused(_ answer: HubClient.Answer) -> Bool {
        answer.status == 409 && problemCode(answer) == "credit_refused"
    }
}
