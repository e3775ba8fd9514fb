/// What can happen to one order line's units.
public enum LineAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Reserve open units in a warehouse.
    case allocate
    /// Send reserved units to the warehouse.
    case release
    /// The warehouse could not find released units; they are open again.
    case shortPick = "short_pick"
    /// Released units shipped (and were invoiced).
    case ship
    /// Cancel units that have not shipped.
    case cancel
}

/// The line state machine (DOMAIN.md 2.2: "a line's state is derived from its quantity buckets") as one table.
///
/// The line's status follows from ``OrderLine`` buckets, so each row lists every status the action can produce;
/// the bucket arithmetic is the guard.
public enum LineLifecycle {
    /// The table.
    public static let table: TransitionTable<LineStatus, LineAction> = {
        typealias Row = Transition<LineStatus, LineAction>
        var rows: [Row] = []
        let waiting: [LineStatus] = [.open, .backordered, .partiallyAllocated]
        let afterRelease: [LineStatus] = [.released, .partiallyShipped]
        for from in waiting {
            rows.append(
                Row(
                    from,
                    .allocate,
                    to: [.allocated, .partiallyAllocated, .backordered, .released, .partiallyShipped],
                    guard: "allocated ≤ open; reservations within available-to-promise",
                    emits: [.orderAllocated, .orderBackordered]
                )
            )
        }
        // A partially shipped or released line can still carry backordered units.
        for from in afterRelease {
            rows.append(
                Row(from, .allocate, to: [from, .released, .partiallyShipped], guard: "allocated ≤ open", emits: [.orderAllocated])
            )
        }
        for from in [LineStatus.allocated, .partiallyAllocated] + afterRelease {
            rows.append(
                Row(from, .release, to: [.released, .partiallyShipped], guard: "released ≤ allocated", emits: [.fulfillmentReleased])
            )
        }
        for from in afterRelease {
            rows.append(
                Row(
                    from,
                    .shortPick,
                    to: [.released, .partiallyShipped, .backordered, .partiallyAllocated, .open, .cancelled, .shipped, .invoiced],
                    guard: "short ≤ released; units pending cancellation are cancelled",
                    emits: [.fulfillmentShortPicked]
                )
            )
            rows.append(
                Row(
                    from,
                    .ship,
                    to: [.partiallyShipped, .shipped, .invoiced],
                    guard: "shipped ≤ released",
                    emits: [.shipmentShipped, .invoicePosted]
                )
            )
        }
        for from in [LineStatus.open, .backordered, .allocated, .partiallyAllocated] + afterRelease {
            rows.append(
                Row(
                    from,
                    .cancel,
                    to: [.cancelled, .open, .backordered, .allocated, .partiallyAllocated, .released, .partiallyShipped, .shipped, .invoiced],
                    guard: "cancelled ≤ open + allocated + released; released units only with the warehouse's confirmation",
                    emits: [.orderCancelled]
                )
            )
        }
        return TransitionTable(machine: "line", rows)
    }()
}
