import CrossdockDomain
import CrossdockEDI
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// What each channel must have done, checked against the hub's store and API and the partners' own records.
extension PartnerChannelsTests {
    /// One row of `GET /v1/partners/{id}/documents`.
    struct HubDocument {
        var direction: String
        var transactionSet: String
        var status: String
        var reference: String
        var orderID: String?
    }

    func documents(_ world: World, _ partner: String) async throws -> [HubDocument] {
        let answer = try await world.admin.send(.GET, "/v1/partners/\(partner)/documents?limit=1000")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]], "\(answer.text)")
        return rows.map {
            HubDocument(
                direction: $0["direction"] as? String ?? "",
                transactionSet: $0["transactionSet"] as? String ?? "",
                status: $0["status"] as? String ?? "",
                reference: $0["reference"] as? String ?? "",
                orderID: ($0["orderId"] ?? $0["orderID"]) as? String
            )
        }
    }

    /// The order with `externalID`, if any.
    func order(_ world: World, externalID: String) async throws -> SalesOrder? {
        try await world.store.orders(OrderQuery(limit: 500)).orders.first { $0.externalID == externalID }
    }

    /// The order's lines as (SKU, quantity, unit price in cents), by line number.
    func lines(_ order: SalesOrder) -> [String] { order.lines.map { "\($0.lineNo) \($0.sku) ×\($0.quantity) @\($0.unitPrice.minorUnits)" } }
    func lines(_ lines: [OrderRequest.Line]) -> [String] { lines.map { "\($0.lineNo ?? 0) \($0.sku) ×\($0.quantity) @\($0.unitPrice ?? -1)" } }

    func expectShopify(_ world: World) async throws {
        let stats = world.storefront.stats
        #expect(stats.created == 4 && stats.redeliveriesDeduplicated == 1 && stats.resentAnsweredExisting == 1, "\(stats)")
        #expect(stats.tamperedRefused == 1 && stats.unexpected.isEmpty, "\(stats)")
        #expect(world.storefront.orders.count == 4)
        for placed in world.storefront.orders {
            let order = try #require(try await order(world, externalID: "northwind-shop:\(placed.shopifyID)"))
            #expect(order.id == placed.hubOrderID)
            #expect(order.channel == "shopify" && order.customerID == placed.customerID)
            #expect(lines(order) == lines(placed.lines), "net of discount_allocations")
            #expect(order.status == .invoiced)
            let warehouses = Set(try await world.store.fulfillments(orderID: order.id).map(\.warehouseID))
            if placed.shipsToPennsylvania {
                #expect(order.shipTo.address.region == "US-PA" && warehouses == ["WH-3PL"], "Pennsylvania goes to the 3PL")
                #expect(order.tax.minorUnits > 0, "the hub has a US-PA tax rate")
            } else {
                #expect(!warehouses.contains("WH-3PL"))
            }
        }
        let tampered = "northwind-shop:\(world.storefront.shopifyID(4))"
        #expect(try await order(world, externalID: tampered) == nil, "a tampered webhook creates nothing")
    }

    func expectSalesforce(_ world: World) async throws {
        let stats = world.crm.stats
        #expect(stats.created == 3 && stats.resentAnsweredExisting == 1 && stats.unexpected.isEmpty, "\(stats)")
        for pushed in world.crm.orders {
            let order = try #require(try await order(world, externalID: "contoso-sf:\(pushed.salesforceID)"))
            #expect(order.id == pushed.hubOrderID)
            #expect(order.channel == "salesforce" && order.customerID == pushed.customerID)
            #expect(lines(order) == lines(pushed.lines))
            #expect(order.status == .invoiced)
        }
    }

    func expectEDI(_ world: World) async throws {
        let records = world.retailer.purchaseOrders
        #expect(records.count == 7, "5 POs, the defective one and the one for an unknown item")
        let hub = try await documents(world, world.retailer.id)
        for record in records {
            #expect(record.metExpectation, "\(record.number): \(record.expectation.rawValue)")
            let order = try await order(world, externalID: "\(world.retailer.id):\(record.number)")
            switch record.expectation {
            case .rejectedIn997:
                #expect(record.hubAcknowledgment == .rejected && order == nil && record.acknowledgments.isEmpty)
            case .rejectedIn855:
                let acknowledgment = try #require(record.acknowledgments.first)
                #expect(acknowledgment.status == "RD" && acknowledgment.lines.allSatisfy { $0.statuses.map(\.code) == ["IR"] })
            case .booked:
                let order = try #require(order, "PO \(record.number) booked")
                #expect(order.channel == "edi" && order.customerID == world.catalog.customers[5].id)
                // Lines ordered in cases are booked in each: 2 CA of 12 at a case price are 24 EA at a twelfth of it.
                let booked = record.lines.map { line -> OrderRequest.Line in
                    guard let size = record.caseLines[line.lineNo ?? 0] else { return line }
                    return .init(
                        lineNo: line.lineNo,
                        sku: line.sku,
                        quantity: line.quantity * size,
                        unitPrice: line.unitPrice.map { $0 / Int64(size) }
                    )
                }
                #expect(lines(order) == lines(booked), "lines sent by UP GTIN resolve to their SKU")
                #expect(record.answeredInCases != false, "\(record.number): \(record.caseAnswers)")
                let acknowledgment = try #require(record.acknowledgments.first)
                #expect(acknowledgment.status == "AT")
                for (line, ordered) in zip(acknowledgment.lines, record.lines) {
                    #expect(line.statuses.map(\.code) == ["IA"] && line.statuses.first?.quantity == String(ordered.quantity))
                }
                #expect(order.status == .invoiced)
                let shipments = try await world.store.shipments(orderID: order.id)
                let invoices = try await world.store.invoices(orderID: order.id)
                #expect(!shipments.isEmpty && record.shipNotices.count == shipments.count, "an 856 per shipment")
                #expect(!invoices.isEmpty && record.invoices.count == invoices.count, "an 810 per invoice")
                if record.shipsToStore { #expect(shipments.allSatisfy { $0.warehouseID == "WH-3PL" }) }
            }
        }
        #expect(records.contains { !$0.linesByGTIN.isEmpty }, "some lines went by GTIN alone")
        #expect(records.contains { $0.answeredInCases == true }, "a PO in cases got its 855, 856 and 810 in cases")
        let outbound = hub.filter { $0.direction == "out" }
        #expect(Set(outbound.map(\.transactionSet)) == ["855", "856", "810"])
        #expect(outbound.allSatisfy { $0.status == "acknowledged" }, "the retailer's 997s were recorded against every document")
        #expect(
            hub.filter { $0.direction == "in" && $0.transactionSet == "850" }.map(\.status).sorted() == Array(repeating: "accepted", count: 5) + [
                "rejected", "rejected",
            ]
        )
        let stats = world.retailer.stats
        #expect(
            stats.webhooks.badSignatures == 0 && stats.x12.misaddressed == 0 && stats.rejectedByUs == 0 && stats.x12.postFailures == 0,
            "\(stats)"
        )
        #expect(stats.webhooks.refused > 0, "the hub retried refused deliveries")
    }

    func expectThreePL(_ world: World) async throws {
        let orders = try await world.store.orders(OrderQuery(limit: 500)).orders
        var atThreePL: [FulfillmentOrder] = []
        for order in orders { atThreePL += try await world.store.fulfillments(orderID: order.id).filter { $0.warehouseID == "WH-3PL" } }
        #expect(atThreePL.count >= 3, "Pennsylvania orders from Shopify, EDI and the API")
        let stats = world.threePL.stats
        #expect(stats.x12.received["940"] == atThreePL.count && stats.x12.sent["997"] == atThreePL.count, "\(stats)")
        #expect(stats.advicesAccepted == atThreePL.count - 1 && stats.advicesRejected == 0 && stats.cancellations.fullyCancelled == 1, "\(stats)")
        #expect(stats.cancellations.requests == 1 && stats.cancellations.accepted == 1, "\(stats)")
        #expect(world.wms.stats.fulfillmentsReceived == orders.reduce(0) { $0 + $1.fulfillmentOrderIDs.count } - atThreePL.count, "none for WH-3PL")
        for fulfillment in atThreePL {
            if fulfillment.orderID == world.cancelledAtThreePL {
                #expect(fulfillment.status == .cancelled)
                continue
            }
            #expect(fulfillment.status == .closed, "the 945 shipped \(fulfillment.id)")
            let shipments = try await world.store.shipments(orderID: fulfillment.orderID).filter { $0.fulfillmentOrderID == fulfillment.id }
            #expect(
                shipments.count == 1 && shipments[0].carrier == "FDEG" && shipments[0].packages.allSatisfy { $0.trackingNumber.hasPrefix("7489") }
            )
        }
        let cancelled = try #require(orders.first { $0.id == world.cancelledAtThreePL })
        #expect(cancelled.status == .cancelled)
        let hub = try await documents(world, world.threePL.id)
        #expect(hub.filter { $0.direction == "out" }.allSatisfy { $0.transactionSet == "940" && $0.status == "acknowledged" })
        #expect(
            hub.filter { $0.direction == "in" && $0.transactionSet == "945" }.map(\.status)
                == Array(repeating: "accepted", count: atThreePL.count - 1)
        )
    }

    func expectCarrierAndERP(_ world: World) async throws {
        let carrier = world.carrier.stats
        #expect(carrier.reportFailures == 0 && carrier.milestonesSent == 4 * carrier.packages, "\(carrier)")
        let orders = try await world.store.orders(OrderQuery(limit: 500)).orders.filter { $0.status == .invoiced }
        #expect(!orders.isEmpty)
        for order in orders {
            #expect(order.shipments.values.allSatisfy { $0 == .delivered }, "EasyPost webhooks delivered \(order.id)")
            let references = try await world.store.externalReferences(orderID: order.id)
            #expect(references.contains { $0.documentType == "sales_order" && $0.number.hasPrefix("ERP-SO-") }, "\(references)")
            #expect(references.contains { $0.documentType == "invoice" && $0.number.hasPrefix("ERP-INV-") }, "\(references)")
        }
    }
}

extension PartnerChannelsTests {
    /// Every interchange the hub wrote to the retailer and the 3PL in the run (855, 856, 810, 940) passes the
    /// independent validators, each in its own process.
    func expectEveryDocumentValid(_ world: World, partners: [String]) async throws {
        var interchanges: Set<String> = []
        for partner in partners {
            for document in try await world.store.ediDocuments(partnerID: partner, limit: 1000) where document.direction == .outbound {
                interchanges.insert(document.interchangeID)
            }
        }
        #expect(!interchanges.isEmpty)
        for id in interchanges.sorted() {
            let text = try #require(try await world.store.ediInterchange(id)?.text)
            let set = try X12Parser.parse(text).transactionSets.first?.id ?? "?"
            guard try ExternalValidators.expectValid(text, "\(set) \(id)") else { return }
        }
    }
}
