/// What can happen to a fulfilment order.
public enum FulfillmentAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// The warehouse picked units.
    case pick
    /// The warehouse could not find units.
    case shortPick = "short_pick"
    /// The warehouse shipped units.
    case ship
    /// The hub asks the warehouse to cancel remaining units.
    case requestCancel = "request_cancel"
    /// The warehouse confirmed the cancellation.
    case acceptCancel = "accept_cancel"
    /// The warehouse refused it: the goods will ship.
    case refuseCancel = "refuse_cancel"
}

/// The fulfilment-order state machine (DOMAIN.md 1.8, aligned with Shopify's fulfilment-order and request
/// statuses) as one table.
public enum FulfillmentLifecycle {
    /// The table.
    public static let table: TransitionTable<FulfillmentOrder.Status, FulfillmentAction> = {
        typealias Row = Transition<FulfillmentOrder.Status, FulfillmentAction>
        var rows: [Row] = []
        let afterWork: Set<FulfillmentOrder.Status> = [.inProgress, .closed, .incomplete]
        for from in [FulfillmentOrder.Status.released, .inProgress] {
            rows += [
                Row(from, .pick, to: [.inProgress], guard: "picked ≤ quantity − short − picked", emits: [.fulfillmentPicked]),
                Row(from, .shortPick, to: afterWork, guard: "short ≤ remaining", emits: [.fulfillmentShortPicked, .fulfillmentClosed]),
                Row(from, .ship, to: afterWork, guard: "shipped ≤ remaining", emits: [.shipmentShipped, .fulfillmentClosed]),
                Row(
                    from,
                    .requestCancel,
                    to: [.cancellationRequested],
                    guard: "requested ≤ remaining",
                    emits: [.fulfillmentCancelRequested]
                ),
            ]
        }
        // Work may still complete while a cancellation is pending (Shopify warns of it); the answer settles it.
        rows += [
            Row(
                .cancellationRequested,
                .requestCancel,
                to: [.cancellationRequested],
                guard: "requested ≤ remaining − already requested",
                emits: [.fulfillmentCancelRequested]
            ),
            Row(.cancellationRequested, .pick, to: [.cancellationRequested], guard: "as in progress", emits: [.fulfillmentPicked]),
            Row(
                .cancellationRequested,
                .shortPick,
                to: [.cancellationRequested, .inProgress, .closed, .incomplete],
                guard: "as in progress; a request the short units used up is dropped",
                emits: [.fulfillmentShortPicked]
            ),
            Row(
                .cancellationRequested,
                .ship,
                to: [.cancellationRequested, .inProgress, .closed, .incomplete],
                guard: "as in progress; units shipped are no longer cancellable",
                emits: [.shipmentShipped]
            ),
            Row(
                .cancellationRequested,
                .acceptCancel,
                to: [.cancelled, .closed, .incomplete, .inProgress, .released],
                guard: "cancels min(requested, remaining) per line",
                emits: [.fulfillmentCancelled, .orderCancelled]
            ),
            Row(
                .cancellationRequested,
                .refuseCancel,
                to: [.released, .inProgress],
                guard: "the request is dropped; the goods will ship",
                emits: [.fulfillmentCancelRefused, .orderCancelRefused]
            ),
        ]
        return TransitionTable(machine: "fulfillment_order", rows)
    }()
}
