import CrossdockDomain
import CrossdockEDI
import Foundation
import Synchronization

/// The retailer's buying side: 850s written from the catalog and sent in interchanges of several POs.
extension SandboxEDIPartner {
    /// A PO ready to send.
    struct PlannedOrder {
        var record: PurchaseOrderRecord
        var set: X12TransactionSet
    }

    /// The SKU of the PO for an item the hub does not sell.
    static let unknownSKU = "NW-DISCONTINUED-9"

    /// Sends the configured POs, the defective one (in the first interchange) and the one for an unknown item (in the
    /// last), `perInterchange` to an interchange, one interchange after the other, and files the hub's 997 answers.
    /// - Parameter catalog: the hub's catalog (SKUs, GTINs, list prices, the account's ship-to).
    public func sendPurchaseOrders(from catalog: Catalog) async {
        var plan = plannedOrders(from: catalog)
        if let defect = defectiveOrder(from: catalog) { plan.insert(defect, at: min(1, plan.count)) }
        plan.append(unknownItemOrder())
        let chunk = max(1, configuration.perInterchange)
        for start in stride(from: 0, to: plan.count, by: chunk) {
            await send(Array(plan[start..<min(start + chunk, plan.count)]))
        }
    }

    /// Writes `orders` into one interchange, posts it and files the hub's 997.
    private func send(_ orders: [PlannedOrder]) async {
        guard let (interchange, text) = try? await mailbox.write(orders.map(\.set), functionalID: "PO") else {
            state.withLock { $0.stats.x12.postFailures += 1 }
            return
        }
        let controls = interchange.groups.first?.transactionSets.map(\.controlNumber) ?? []
        state.withLock { state in
            for (order, control) in zip(orders, controls) {
                var record = order.record
                record.setControlNumber = control
                state.orders[record.number] = record
            }
        }
        let answer = await mailbox.post(text)
        state.withLock { state in
            guard answer.status == 200 else {
                state.stats.x12.postFailures += 1
                return
            }
            state.stats.interchangesSent += 1
            state.stats.x12.sent["850", default: 0] += orders.count
            state.stats.x12.received["997", default: 0] += answer.acknowledgments.count
            for response in answer.acknowledgments.flatMap(\.sets) {
                guard let index = controls.firstIndex(of: response.controlNumber), index < orders.count else { continue }
                state.orders[orders[index].record.number]?.hubAcknowledgment = response.status
            }
        }
    }

    /// The valid POs: 1 to 3 lines of abundant SKUs at list price, even-numbered lines identified by `UP` GTIN alone,
    /// every third PO shipping to the one-time store.
    func plannedOrders(from catalog: Catalog) -> [PlannedOrder] {
        var random = SplitMix64(seed: configuration.seed)
        let products = catalog.orderableProducts.filter { !catalog.scarceSKUs.contains($0.sku) && $0.gtin != nil }
        guard !products.isEmpty else { return [] }
        let shipTo = catalog.customers.first { $0.id == configuration.customerID }?.shipTo.first?.code
        return (0..<configuration.purchaseOrders).map { index in
            var skus: [Product] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let product = products[Int(random.next() % UInt64(products.count))]
                if !skus.contains(where: { $0.sku == product.sku }) { skus.append(product) }
            }
            var lines = skus.enumerated().map { offset, product in
                let quantity = 1 + Int(random.next() % 6)
                let price = catalog.priceList.unitPrice(sku: product.sku, quantity: quantity)?.minorUnits
                return OrderRequest.Line(lineNo: offset + 1, sku: product.sku, quantity: quantity, unitPrice: price)
            }
            // The first PO also orders two cases of an item sold by the case, priced per case.
            if index == 0, let cased = products.first(where: { product in product.units.contains { $0.code == "CA" } && !skus.contains(product) }),
                let perCase = cased.baseUnits(per: "CA")
            {
                let price = catalog.priceList.unitPrice(sku: cased.sku, quantity: 2 * perCase)?.minorUnits
                lines.append(
                    OrderRequest.Line(
                        lineNo: lines.count + 1,
                        sku: cased.sku,
                        quantity: 2,
                        unitPrice: price.map { $0 * Int64(perCase) },
                        unitOfMeasure: "CA"
                    )
                )
            }
            let store = index % 3 == 2 ? configuration.oneTimeShipTo : nil
            var order = planned(
                number: "NW\(String(format: "%06d", 400_100 + index))",
                lines: lines,
                shipToCode: store == nil ? shipTo : nil,
                store: store,
                byGTIN: Set(lines.compactMap { $0.lineNo.flatMap { $0 % 2 == 0 ? $0 : nil } }),
                gtins: Self.gtins(catalog)
            )
            for line in lines where line.unitOfMeasure == "CA" {
                order.record.caseLines[line.lineNo ?? 0] = products.first { $0.sku == line.sku }?.baseUnits(per: "CA") ?? 1
            }
            return order
        }
    }

    /// A PO whose CTT01 counts one line too many: a syntax error the hub's 997 must reject.
    private func defectiveOrder(from catalog: Catalog) -> PlannedOrder? {
        guard let product = catalog.orderableProducts.last else { return nil }
        let price = catalog.priceList.unitPrice(sku: product.sku, quantity: 1)?.minorUnits
        var order = planned(
            number: "NW\(String(format: "%06d", 400_090))",
            lines: [OrderRequest.Line(lineNo: 1, sku: product.sku, quantity: 1, unitPrice: price)],
            shipToCode: nil,
            store: nil,
            byGTIN: [],
            gtins: [:]
        )
        if let index = order.set.segments.firstIndex(where: { $0.id == "CTT" }) { order.set.segments[index] = X12Segment("CTT", ["2"]) }
        order.record.expectation = .rejectedIn997
        return order
    }

    /// A PO for an item the hub does not sell: accepted as X12, refused as an order (855 `RD`).
    private func unknownItemOrder() -> PlannedOrder {
        var order = planned(
            number: "NW\(String(format: "%06d", 400_099))",
            lines: [OrderRequest.Line(lineNo: 1, sku: Self.unknownSKU, quantity: 2, unitPrice: 1_000)],
            shipToCode: nil,
            store: nil,
            byGTIN: [],
            gtins: [:]
        )
        order.record.expectation = .rejectedIn855
        return order
    }

    private func planned(
        number: String,
        lines: [OrderRequest.Line],
        shipToCode: String?,
        store: Address?,
        byGTIN: Set<Int>,
        gtins: [String: String]
    ) -> PlannedOrder {
        let request = OrderRequest(
            channel: "edi",
            externalID: "\(configuration.id):\(number)",
            customerID: configuration.customerID,
            customerPO: number,
            shipToCode: shipToCode,
            lines: lines
        )
        var purchaseOrder = PurchaseOrder(request, partner: Self.profile(configuration, endpoint: nil, secret: nil), date: Self.today()) {
            gtins[$0]
        }
        for index in purchaseOrder.lines.indices where byGTIN.contains(index + 1) {
            purchaseOrder.lines[index].items.removeAll { $0.qualifier != "UP" }
        }
        if let store {
            let state = store.region.split(separator: "-").last.map(String.init)
            purchaseOrder.parties = [
                Party(
                    role: "ST",
                    name: store.name,
                    idQualifier: "92",
                    id: "STORE-114",
                    addressLines: store.lines,
                    city: store.city,
                    state: state,
                    postalCode: store.postalCode,
                    country: store.country
                )
            ]
        }
        let record = PurchaseOrderRecord(
            number: number,
            lines: lines,
            linesByGTIN: byGTIN,
            shipsToStore: store != nil,
            expectation: .booked,
            setControlNumber: ""
        )
        return PlannedOrder(record: record, set: purchaseOrder.transactionSet())
    }

    /// The catalog's GTINs by SKU.
    static func gtins(_ catalog: Catalog) -> [String: String] {
        Dictionary(catalog.products.compactMap { product in product.gtin.map { (product.sku, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Today as `CCYYMMDD` (UTC).
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d%02d%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
