import CrossdockDomain
import Foundation
import Synchronization

/// The shop's orders as Shopify REST `order` objects.
extension SandboxStorefront {
    private struct Discount: Encodable { var amount: String }
    private struct LineItem: Encodable {
        var id: Int64
        var sku: String
        var title: String
        var quantity: Int
        var price: String
        var discountAllocations: [Discount]
    }
    private struct TaxLine: Encodable {
        var title: String
        var rate: Double
        var price: String
    }
    private struct ShippingLine: Encodable {
        var title: String
        var code: String
        var price: String
    }
    private struct Address: Encodable {
        var company: String
        var address1: String
        var city: String
        var provinceCode: String
        var countryCode: String
        var zip: String
    }
    private struct Buyer: Encodable {
        var id: Int64
        var email: String
    }
    private struct Order: Encodable {
        var id: Int64
        var name: String
        var email: String
        var createdAt: String
        var currency = "USD"
        var financialStatus = "paid"
        var taxesIncluded = false
        var lineItems: [LineItem]
        var subtotalPrice: String
        var totalDiscounts: String
        var taxLines: [TaxLine]
        var shippingLines: [ShippingLine]
        var totalPrice: String
        var shippingAddress: Address
        var customer: Buyer
    }

    /// Places the configured orders, redelivers the first `redeliveries` webhooks, re-sends one order under a new
    /// webhook id and sends one tampered webhook. Returns the counters.
    @discardableResult
    public func placeOrders(from catalog: Catalog) async -> Stats {
        var random = SplitMix64(seed: configuration.seed)
        let customers = Self.customers(catalog)
        let products = catalog.orderableProducts.filter { !catalog.scarceSKUs.contains($0.sku) }
        guard !customers.isEmpty, !products.isEmpty else { return stats }
        var sent: [(body: [UInt8], webhookID: String, orderID: String?)] = []
        for index in 0..<configuration.orders {
            let customer = customers[Int(random.next() % UInt64(customers.count))]
            let (placed, body) = order(index, customer: customer, products: products, catalog: catalog, random: &random)
            let webhookID = UUID().uuidString.lowercased()
            let (status, orderID) = await deliver(body, webhookID: webhookID)
            if status == 201 {
                var placed = placed
                placed.hubOrderID = orderID
                state.withLock {
                    $0.stats.created += 1
                    $0.orders.append(placed)
                }
                shop.withLock { $0.orders[placed.shopifyID] = placed.record }
            } else {
                unexpected("order \(placed.shopifyID)", status)
            }
            sent.append((body, webhookID, orderID))
        }
        for first in sent.prefix(configuration.redeliveries) {
            let (status, orderID) = await deliver(first.body, webhookID: first.webhookID)
            if (200..<300).contains(status) && orderID != nil && orderID == first.orderID {
                state.withLock { $0.stats.redeliveriesDeduplicated += 1 }
            } else {
                unexpected("redelivery \(first.webhookID)", status)
            }
        }
        if let again = sent.last {
            let (status, orderID) = await deliver(again.body, webhookID: UUID().uuidString.lowercased())
            if status == 200 && orderID == again.orderID {
                state.withLock { $0.stats.resentAnsweredExisting += 1 }
            } else {
                unexpected("re-sent order", status)
            }
        }
        let (_, body) = order(configuration.orders, customer: customers[0], products: products, catalog: catalog, random: &random)
        let tampered = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"quantity\":", with: "\"quantity\":1").utf8)
        let (status, _) = await deliver(tampered, signed: body, webhookID: UUID().uuidString.lowercased())
        if status == 401 { state.withLock { $0.stats.tamperedRefused += 1 } } else { unexpected("tampered webhook", status) }
        return stats
    }

    /// The Shopify order id of the `index`-th order (the tampered one is `orders`).
    public func shopifyID(_ index: Int) -> Int64 { 5_100_000_000 + Int64(configuration.seed) * 1_000 + Int64(index) }

    /// The `index`-th order: 1 to 3 lines at list price, every other line with a small discount, tax at the
    /// ship-to region's rate (the fourth order also taxes its shipping) and a flat shipping charge; every other order
    /// ships to Pennsylvania.
    private func order(
        _ index: Int,
        customer: Customer,
        products: [Product],
        catalog: Catalog,
        random: inout SplitMix64
    ) -> (PlacedOrder, [UInt8]) {
        let toPennsylvania = index % 2 == 1
        let destination = toPennsylvania ? SandboxEDIPartner.pennsylvaniaStore : customer.shipTo[0].address
        var items: [LineItem] = []
        var lines: [OrderRequest.Line] = []
        var discounts: Int64 = 0
        var subtotal: Int64 = 0
        for (offset, product) in (0..<(1 + Int(random.next() % 3))).map({ _ in products[Int(random.next() % UInt64(products.count))] }).enumerated()
        where !items.contains(where: { $0.sku == product.sku }) {
            let quantity = 1 + Int(random.next() % 5)
            let price = catalog.priceList.unitPrice(sku: product.sku, quantity: quantity)?.minorUnits ?? 1_000
            let gross = price * Int64(quantity)
            let discount = offset % 2 == 1 ? max(1, gross * 4 / 1_000) : 0
            discounts += discount
            subtotal += gross - discount
            let net = ((gross - discount) * 2 + Int64(quantity)) / (2 * Int64(quantity))
            lines.append(OrderRequest.Line(lineNo: items.count + 1, sku: product.sku, quantity: quantity, unitPrice: net))
            items.append(
                LineItem(
                    id: shopifyID(index) * 10 + Int64(items.count + 1),
                    sku: product.sku,
                    title: product.description,
                    quantity: quantity,
                    price: PartnerSignature.decimal(price),
                    discountAllocations: discount > 0 ? [Discount(amount: PartnerSignature.decimal(discount))] : []
                )
            )
        }
        let rate = catalog.taxRates[destination.region] ?? 0
        let shipping: Int64 = 999
        // The fourth order taxes its shipping too, as some states do: the hub flags the difference.
        let taxed = index == 3 ? subtotal + shipping : subtotal
        let tax = (taxed * rate + 500_000) / 1_000_000
        let buyer = Buyer(id: 7_000 + Int64(index), email: Self.email(customer))
        let order = Order(
            id: shopifyID(index),
            name: "#\(1001 + index)",
            email: buyer.email,
            createdAt: JSONCoding.format(Date()),
            lineItems: items,
            subtotalPrice: PartnerSignature.decimal(subtotal),
            totalDiscounts: PartnerSignature.decimal(discounts),
            taxLines: [TaxLine(title: "\(destination.region) sales tax", rate: Double(rate) / 1_000_000, price: PartnerSignature.decimal(tax))],
            shippingLines: [ShippingLine(title: "Standard", code: "STANDARD", price: PartnerSignature.decimal(shipping))],
            totalPrice: PartnerSignature.decimal(subtotal + tax + shipping),
            shippingAddress: Address(
                company: destination.name,
                address1: destination.lines.first ?? "",
                city: destination.city,
                provinceCode: String(destination.region.split(separator: "-").last ?? ""),
                countryCode: destination.country,
                zip: destination.postalCode
            ),
            customer: buyer
        )
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let body = Array((try? encoder.encode(order)) ?? Data())
        let record = ShopState.Order(id: order.id, lineItems: items.map { ShopState.LineItem(id: $0.id, sku: $0.sku, quantity: $0.quantity) })
        return (
            PlacedOrder(shopifyID: order.id, customerID: customer.id, lines: lines, shipsToPennsylvania: toPennsylvania, record: record), body
        )
    }
}
