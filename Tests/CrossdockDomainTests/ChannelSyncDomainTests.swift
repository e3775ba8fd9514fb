import CrossdockDomain
import Foundation
import Testing

/// The pure parts of keeping channels in sync: totals compared with the channel's, shipping invoiced, the update a
/// channel gets for each change, price and credit-status changes.
@Suite("Channel sync: domain")
struct ChannelSyncDomainTests {
    typealias Line = OrderRequest.Line

    /// A storefront order: A×2 (1000) and B×4 (250) to US-NY, subtotal 3000, hub tax 267, shipping 999.
    func storefrontRequest(tax: Int64, total: Int64, shipping: Int64 = 999) -> OrderRequest {
        var request = Fixture.request()
        request.channel = "shopify"
        request.channelRef = ChannelReference(partner: "shop-1", orderId: "5100")
        request.lines[0].channelLineRef = "51001"
        request.lines[1].channelLineRef = "51002"
        request.channelTotals = ChannelAmounts(
            subtotal: Fixture.usd(3_000),
            discounts: Fixture.usd(0),
            tax: Fixture.usd(tax),
            shipping: Fixture.usd(shipping),
            total: Fixture.usd(total)
        )
        return request
    }

    @Test func totalsThatAgreeRaiseNothingAndShippingIsKeptForTheInvoice() {
        let decision = Fixture.decide(storefrontRequest(tax: 267, total: 4_266))
        #expect(decision.exceptions.isEmpty)
        #expect(decision.order.shipping == Fixture.usd(999))
        #expect(decision.order.totalWithShipping == Fixture.usd(4_266))
        #expect(decision.order.channelRef == ChannelReference(partner: "shop-1", orderId: "5100"))
        #expect(decision.order.lines.map(\.channelLineRef) == ["51001", "51002"])
    }

    @Test func aTaxAndTotalBeyondTheToleranceAreFlaggedWithBothFigures() throws {
        // The channel taxed 300 (hub 267) and so charged 4299 (hub 4266); 5 minor units of rounding are accepted.
        let decision = Fixture.decide(storefrontRequest(tax: 300, total: 4_299))
        let exception = try #require(decision.exceptions.first)
        #expect(decision.exceptions.count == 1)
        #expect(exception.kind == .channelTotalsMismatch)
        #expect(
            exception.figures == [
                .init(name: "tax", hub: Fixture.usd(267), channel: Fixture.usd(300)),
                .init(name: "total", hub: Fixture.usd(4_266), channel: Fixture.usd(4_299)),
            ]
        )
        #expect(exception.detail == "tax: channel 300, hub 267; total: channel 4299, hub 4266 (USD minor units, tolerance 5)")
        #expect(decision.order.status == .released, "the order is booked at the hub's figures")
        let rounding = Fixture.decide(storefrontRequest(tax: 270, total: 4_269))
        #expect(rounding.exceptions.isEmpty)
    }

    @Test func aGoodsTotalIsComparedWithTheSubtotal() {
        let order = Fixture.decide().order
        let goods = { (total: Int64) in
            ChannelAmounts(
                subtotal: Fixture.usd(total),
                discounts: Fixture.usd(0),
                tax: Fixture.usd(0),
                shipping: Fixture.usd(0),
                total: Fixture.usd(total),
                scope: .goods
            )
        }
        #expect(ChannelTotalsCheck.differences(order: order, channel: goods(3_000), tolerance: 0).isEmpty)
        #expect(
            ChannelTotalsCheck.differences(order: order, channel: goods(3_100), tolerance: 5)
                == [.init(name: "total", hub: Fixture.usd(3_000), channel: Fixture.usd(3_100))]
        )
        var foreign = goods(3_000)
        foreign.total = Money(3_000, Fixture.eur)
        #expect(ChannelTotalsCheck.differences(order: order, channel: foreign, tolerance: 1_000).count == 1)
    }

    @Test func theFirstInvoiceBillsTheShippingAndLaterOnesDoNot() throws {
        var harness = FeedbackHarness(decision: Fixture.decide(storefrontRequest(tax: 267, total: 4_266)))
        let first = try harness.step(FeedbackHarness.shipped([FeedbackHarness.package("1Z1", [(1, 1)])]))
        let invoice = try #require(first.invoice)
        #expect(invoice.freight == Fixture.usd(999))
        #expect(invoice.total == invoice.subtotal + invoice.tax + Fixture.usd(999))
        let second = try harness.step(FeedbackHarness.shipped([FeedbackHarness.package("1Z2", [(1, 1), (2, 4)])]))
        #expect(second.invoice?.freight == nil)
        #expect(second.invoice.map { $0.total == $0.subtotal + $0.tax } == true)
    }

    @Test func anUpdateCarriesTheChannelIdsTheSnapshotAndTheChange() throws {
        var harness = FeedbackHarness(decision: Fixture.decide(storefrontRequest(tax: 267, total: 4_266)))
        let outcome = try harness.step(FeedbackHarness.shipped([FeedbackHarness.package("1Z1", [(1, 2)]), FeedbackHarness.package("1Z2", [(2, 1)])]))
        let shipment = try #require(outcome.shipment)
        let update = try #require(
            ChannelOrderUpdate.make(order: harness.order, shipments: [shipment], creditMemos: [], trigger: .shipped(shipmentID: shipment.id))
        )
        #expect(update.partner == "shop-1" && update.channelOrderId == "5100" && update.channel == "shopify")
        #expect(update.change == .shipped)
        #expect(update.status == harness.order.status)
        #expect(update.shipment?.trackingNumbers == ["1Z1", "1Z2"])
        #expect(update.shipment?.lines.map(\.channelLineId) == ["51001", "51002"])
        #expect(update.shipment?.lines.map(\.quantity) == [2, 1])
        #expect(update.lines.map(\.shipped) == [2, 1])
        #expect(update.lines.map(\.unshipped) == [0, 3])
        #expect(update.shipments.map(\.status) == ["in_transit"])
        // A shipment the order does not have, and an order from no channel, give no update.
        #expect(ChannelOrderUpdate.make(order: harness.order, shipments: [], creditMemos: [], trigger: .shipped(shipmentID: "nope")) == nil)
        #expect(ChannelOrderUpdate.make(order: Fixture.decide().order, shipments: [], creditMemos: [], trigger: .status(.accepted)) == nil)
    }

    @Test func aCancellationSaysWhetherTheWholeOrderIsGoneAndWhatItWasWorth() throws {
        var order = Fixture.decide(storefrontRequest(tax: 267, total: 4_266)).order
        for index in order.lines.indices {
            order.lines[index].cancelled = order.lines[index].quantity
            order.lines[index].released = 0
            order.lines[index].warehouseQuantities = [:]
        }
        let data = CancellationData(orderId: order.id, stage: .preRelease, lines: [LineQuantity(lineNo: 1, quantity: 2)], reason: "customer")
        let update = try #require(ChannelOrderUpdate.make(order: order, shipments: [], creditMemos: [], trigger: .cancelled(data)))
        #expect(update.cancellation?.wholeOrder == true)
        // 2 × 1000 + 8.875 % tax (177.5 → 178).
        #expect(update.cancellation?.amount == Fixture.usd(2_178))
        #expect(update.cancellation?.lines.map(\.channelLineId) == ["51001"])
        let trigger = try #require(
            ChannelOrderUpdate.Trigger(type: "order.cancelled", subject: order.id, data: try JSONCoding.encode(data))
        )
        #expect(trigger == .cancelled(data))
        #expect(ChannelOrderUpdate.Trigger(type: "order.received", subject: order.id, data: Data("{}".utf8)) == nil)
        #expect(ChannelOrderUpdate.Trigger(type: "shipment.delivered", subject: "S-1", data: Data("{}".utf8)) == .delivered(shipmentID: "S-1"))
    }

    @Test func priceChangesArePublishedPerSkuWithThePriceInForce() {
        let old = PriceList(id: "PL", currency: .usd, entries: [.init(sku: "A", unitPrice: 100), .init(sku: "B", unitPrice: 200)])
        let new = PriceList(
            id: "PL",
            currency: .usd,
            entries: [
                .init(sku: "A", unitPrice: 100),
                .init(sku: "C", unitPrice: 300),
                .init(sku: "C", minQuantity: 10, unitPrice: 250),
                .init(sku: "C", unitPrice: 280, validFrom: "2026-02-01"),
            ]
        )
        let changes = PriceChangedData.changes(from: old, to: new, on: "2026-01-15")
        #expect(changes.map(\.sku) == ["B", "C"])
        #expect(changes[0].removed && changes[0].unitPrice == nil)
        #expect(changes[1].unitPrice == Money(300, .usd))
        #expect(changes[1].breaks.map(\.minQuantity) == [1, 10])
        #expect(changes[1].entries.count == 3)
        #expect(PriceChangedData.changes(from: new, to: new, on: "2026-01-15").isEmpty)
        #expect(PriceChangedData.changes(from: new, to: new, on: "2026-02-01").isEmpty, "only changes of the list are published")
        #expect(PriceChangedData.changes(from: nil, to: old, on: "2026-01-15").map(\.sku) == ["A", "B"])
    }

    @Test func creditStatusChangesOnlyWhenHoldStatusOrLimitMove() {
        let customer = Fixture.customer()
        #expect(CreditStatusChangedData.change(from: customer, to: customer) == nil)
        var held = customer
        held.creditHold = .init(reason: "past due")
        let change = CreditStatusChangedData.change(from: customer, to: held)
        #expect(change?.onHold == true && change?.holdReason == "past due")
        #expect(CreditStatusChangedData.change(from: held, to: customer)?.onHold == false)
        #expect(CreditStatusChangedData.change(from: nil, to: customer)?.onHold == false)
        var renamed = customer
        renamed.name = "Acme Wholesale"
        #expect(CreditStatusChangedData.change(from: customer, to: renamed) == nil)
    }
}

extension ChannelSyncDomainTests {
    @Test func pricesInForceChangeWhenADatedPriceBeginsOrEnds() {
        let list = PriceList(
            id: "PL",
            currency: .usd,
            entries: [
                .init(sku: "A", unitPrice: 100),
                .init(sku: "B", unitPrice: 200),
                .init(sku: "B", unitPrice: 150, validFrom: "2026-03-01", validTo: "2026-03-02"),
            ]
        )
        #expect(PriceChangedData.changesInForce(of: list, from: "2026-02-27", to: "2026-02-28").isEmpty)
        let starts = PriceChangedData.changesInForce(of: list, from: "2026-02-28", to: "2026-03-01")
        #expect(starts.map(\.sku) == ["B"] && starts.first?.unitPrice == Money(150, .usd) && starts.first?.effectiveOn == "2026-03-01")
        #expect(PriceChangedData.changesInForce(of: list, from: "2026-03-01", to: "2026-03-02").isEmpty)
        #expect(PriceChangedData.changesInForce(of: list, from: "2026-03-02", to: "2026-03-03").first?.unitPrice == Money(200, .usd))
        #expect(PriceChangedData.changesInForce(of: list, from: "2026-02-20", to: "2026-03-10").isEmpty, "over the whole window nothing changed")
    }
}
