/// What can happen to a sales order: each command the hub accepts for an order is one action.
public enum OrderAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Intake: the request passed validation.
    case validate
    /// Intake: validation failed.
    case reject
    /// Intake: the credit check failed (account hold or limit).
    case hold
    /// Intake: credit passed.
    case accept
    /// Reserve stock for open units (intake, hold release, stock arrival, short-pick remainder).
    case allocate
    /// Send reserved units to the warehouses (one fulfilment order per warehouse).
    case release
    /// `POST /v1/orders/{id}/release-hold`: credit re-validated, then allocation and release.
    case releaseHold = "release_hold"
    /// The warehouse picked units.
    case pick
    /// The warehouse could not find units: re-allocate elsewhere or backorder.
    case shortPick = "short_pick"
    /// The warehouse shipped units; an invoice is posted for them.
    case ship
    /// `POST /v1/orders/{id}/cancel`: unreleased units are cancelled now, released ones are requested from the warehouse.
    case cancel
    /// The warehouse confirmed or refused a cancellation request.
    case answerCancel = "answer_cancel"
    /// A carrier milestone for a shipment (label, in transit, out for delivery, delivered, exception).
    case track
    /// Operations resolved a delivery exception (credit, reship, notify the customer or acknowledge).
    case resolveException = "resolve_exception"
    /// `POST /v1/returns`: authorise a return of shipped units.
    case authorizeReturn = "authorize_return"
    /// `POST /v1/returns/{id}/receipts`: goods came back; a credit memo follows.
    case receiveReturn = "receive_return"
    /// The scheduled job closed the order (``OrderClosing``).
    case close
}

/// The order state machine (DOMAIN.md 2.2–2.4) as one table.
///
/// After acceptance the header status is derived from the lines and shipments (``SalesOrder/derivedStatus``), so a
/// row lists every status the action can produce. Every command checks its row before deciding and nothing changes
/// when the row is missing.
public enum OrderLifecycle {
    /// Statuses in which warehouse work is under way (released units exist or some units shipped).
    static let working: [OrderStatus] = [.released, .inFulfillment, .partiallyShipped, .deliveryException]
    /// Statuses after the first shipment.
    static let afterShipment: [OrderStatus] = [.partiallyShipped, .shipped, .deliveryException, .delivered, .invoiced]
    /// Statuses whose open units wait for stock or for release.
    static let waiting: [OrderStatus] = [.allocated, .partiallyAllocated, .backordered]

    /// Every status a quantity-driven action can lead to after acceptance.
    static let fulfilment: Set<OrderStatus> = [
        .allocated, .partiallyAllocated, .backordered, .released, .inFulfillment, .partiallyShipped, .shipped,
        .deliveryException, .delivered, .invoiced, .cancelled,
    ]

    /// The table.
    public static let table: TransitionTable<OrderStatus, OrderAction> = {
        typealias Row = Transition<OrderStatus, OrderAction>
        var rows: [Row] = [
            Row(.received, .validate, to: [.validated], guard: "customer, SKUs, prices and tax resolve", emits: [.orderValidated]),
            Row(.received, .reject, to: [.rejected], guard: "a validation reason exists", emits: [.orderRejected]),
            Row(.validated, .hold, to: [.onHold], guard: "account on credit hold or exposure + total > limit", emits: [.orderOnHold]),
            Row(.validated, .accept, to: [.accepted], guard: "credit covers the order", emits: [.orderAccepted]),
            Row(
                .accepted,
                .allocate,
                to: [.allocated, .partiallyAllocated, .backordered],
                guard: "reservations only within available-to-promise; ship-complete all or nothing",
                emits: [.orderAllocated, .orderLineSubstituted, .orderBackordered]
            ),
            Row(
                .onHold,
                .releaseHold,
                to: [.allocated, .partiallyAllocated, .backordered, .released],
                guard: "account not on hold and exposure + open value ≤ limit (re-validated)",
                emits: [.orderHoldReleased, .orderAccepted, .orderAllocated, .orderBackordered, .fulfillmentReleased, .orderReleased]
            ),
            Row(.onHold, .cancel, to: [.cancelled], guard: "nothing reserved", emits: [.orderCancelled]),
        ]
        for from in [OrderStatus.allocated, .partiallyAllocated] {
            rows.append(
                Row(
                    from,
                    .release,
                    to: [.released],
                    guard: "ship-partial, or ship-complete with every unit allocated",
                    emits: [.fulfillmentReleased, .orderReleased]
                )
            )
        }
        // Stock arriving for backordered units, and short-pick remainders, allocate again.
        for from in [OrderStatus.backordered, .partiallyAllocated] + working {
            rows.append(
                Row(
                    from,
                    .allocate,
                    to: [.allocated, .partiallyAllocated, .backordered, .released, .inFulfillment, .partiallyShipped, .deliveryException],
                    guard: "backordered units, oldest promise first; never takes stock released elsewhere",
                    emits: [.orderAllocated, .fulfillmentReleased, .orderStatusChanged]
                )
            )
        }
        for from in working {
            rows.append(
                Row(
                    from,
                    .pick,
                    to: [.inFulfillment, .partiallyShipped, .deliveryException],
                    guard: "picked ≤ released",
                    emits: [.fulfillmentPicked]
                )
            )
            rows.append(
                Row(
                    from,
                    .shortPick,
                    to: fulfilment,
                    guard: "short ≤ remaining; units pending cancellation are cancelled, the rest re-allocated elsewhere or backordered",
                    emits: [.fulfillmentShortPicked, .inventoryAdjusted, .orderCancelled, .orderAllocated, .fulfillmentReleased, .orderBackordered]
                )
            )
            rows.append(
                Row(
                    from,
                    .ship,
                    to: [.partiallyShipped, .shipped, .deliveryException],
                    guard: "shipped ≤ remaining on the fulfilment order",
                    emits: [.shipmentShipped, .invoicePosted, .fulfillmentClosed, .orderStatusChanged]
                )
            )
            rows.append(
                Row(
                    from,
                    .answerCancel,
                    to: fulfilment,
                    guard: "the fulfilment order has a cancellation request",
                    emits: [.fulfillmentCancelled, .fulfillmentCancelRefused, .orderCancelled, .orderCancelRefused]
                )
            )
        }
        for from in [OrderStatus.allocated, .partiallyAllocated, .backordered] + working {
            rows.append(
                Row(
                    from,
                    .cancel,
                    to: fulfilment,
                    guard: "the units named are open, allocated or released (not shipped)",
                    emits: [.orderCancelled, .orderCancelRequested, .fulfillmentCancelRequested]
                )
            )
        }
        for from in [OrderStatus.invoiced, .cancelled] {
            rows.append(
                Row(
                    from,
                    .close,
                    to: [.closed],
                    guard: "every line invoiced, cancelled or credited, no open exception or return, return window past",
                    emits: [.orderClosed]
                )
            )
        }
        for from in afterShipment {
            rows.append(
                Row(
                    from,
                    .track,
                    to: [from, .deliveryException, .delivered, .invoiced],
                    guard: "the shipment belongs to the order; duplicates and older scans change nothing",
                    emits: [.shipmentLabelCreated, .shipmentInTransit, .shipmentOutForDelivery, .shipmentDelivered, .shipmentException]
                )
            )
        }
        // A closed order still takes returns (the window is the channel's policy, not the customer's statutory right).
        for from in afterShipment + [.closed] {
            rows.append(
                Row(from, .authorizeReturn, to: [from], guard: "quantity ≤ shipped − already authorised", emits: [.returnAuthorized])
            )
            rows.append(
                Row(
                    from,
                    .receiveReturn,
                    to: [from],
                    guard: "quantity ≤ authorised − received",
                    emits: [.returnReceived, .inventoryAdjusted, .creditMemoIssued, .returnClosed]
                )
            )
        }
        rows.append(
            Row(
                .deliveryException,
                .resolveException,
                to: [.partiallyShipped, .shipped, .delivered, .invoiced, .deliveryException],
                guard: "the shipment has an open exception",
                emits: [.shipmentExceptionResolved, .creditMemoIssued]
            )
        )
        return TransitionTable(machine: "order", rows)
    }()
}
