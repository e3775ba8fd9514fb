import CrossdockDomain
import Foundation

/// A released order (A×10 at 900, B×4 at 250, one fulfilment order in W1) and helpers to report on it.
struct FeedbackHarness {
    var order: SalesOrder
    var fulfillment: FulfillmentOrder
    let ids = SequentialIDs("f")

    init(
        decision: OrderIntake.Decision = Fixture.decide(
            Fixture.request(lines: [
                .init(sku: "A", quantity: 10), .init(sku: "B", quantity: 4),
            ])
        )
    ) {
        order = decision.order
        fulfillment = decision.fulfillmentOrders[0]
    }

    func apply(
        _ feedback: FulfillmentFeedback,
        to fulfillment: FulfillmentOrder? = nil,
        order: SalesOrder? = nil,
        command: String = "RPT-1"
    ) throws(FeedbackError) -> FulfillmentFeedbackApplier.Outcome {
        try FulfillmentFeedbackApplier.apply(
            feedback,
            to: fulfillment ?? self.fulfillment,
            order: order ?? self.order,
            commandID: command,
            now: Fixture.t1,
            makeID: ids.generator
        )
    }

    /// Applies `feedback` and keeps the result as the new state.
    @discardableResult
    mutating func step(_ feedback: FulfillmentFeedback, command: String = "RPT-1") throws(FeedbackError) -> FulfillmentFeedbackApplier.Outcome {
        let outcome = try apply(feedback, command: command)
        order = outcome.order
        fulfillment = outcome.fulfillment
        return outcome
    }

    /// The error `feedback` is refused with, or `nil` when it applies.
    func failure(_ feedback: FulfillmentFeedback) -> FeedbackError? {
        do {
            _ = try apply(feedback)
            return nil
        } catch {
            return error
        }
    }

    static func lines(_ pairs: [(Int, Int)]) -> [LineQuantity] {
        pairs.map { LineQuantity(lineNo: $0.0, quantity: $0.1) }
    }

    static func package(_ tracking: String, _ pairs: [(Int, Int)]) -> Shipment.Package {
        Shipment.Package(trackingNumber: tracking, weightGrams: 1_200, contents: pairs.map { .init(lineNo: $0.0, quantity: $0.1) })
    }

    static func shipped(_ packages: [Shipment.Package]) -> FulfillmentFeedback {
        .shipped(carrier: "UPS", service: "ground", packages: packages, shippedAt: Fixture.t1)
    }

    static func picked(_ pairs: [(Int, Int)]) -> FulfillmentFeedback { .picked(lines(pairs)) }

    static func short(_ pairs: [(Int, Int)], reason: String = "damaged") -> FulfillmentFeedback {
        .shortPicked(lines(pairs), reason: reason)
    }
}
