import ArgumentParser
import CrossdockDomain
import CrossdockStore
import Foundation

/// `crossdock dlq`: dead-lettered deliveries, straight from the database.
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect and replay dead-lettered webhook deliveries.",
        discussion: """
            A delivery is dead once its subscription's last retry failed. A dead delivery parks its ordering key:
            later events with the same key wait for it. Replaying sets it back to pending with a new round of
            retries; the event (and its id, the webhook-id) is unchanged, so receivers that dedupe apply it once.
            These commands read and write the database directly, beside a running hub or without one.
            """,
        subcommands: [List.self, Show.self, Replay.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List dead deliveries, oldest first, with their last error.",
            discussion: "One line per delivery: id, subscription, event sequence and type, attempts, last error."
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "Only this subscription's dead deliveries.")
        var subscription: String?
        @Option(help: "At most this many (1…10000).")
        var limit: Int = 100

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1…10000") }
        }

        func run() async throws {
            let query = DeliveryQuery(status: .dead, subscriptionID: subscription, limit: limit)
            let dead = try await database.withStore { try await $0.deliveryDetails(query) }
            say("\(dead.count) dead deliver\(dead.count == 1 ? "y" : "ies")\(subscription.map { " of subscription \($0)" } ?? "")")
            for item in dead {
                let delivery = item.delivery
                let error = (delivery.lastError ?? "").replacingOccurrences(of: "\n", with: " ").prefix(120)
                say(
                    "  \(delivery.id)  \(delivery.subscriptionID)  seq \(delivery.eventSequence)  \(shortType(item.eventType))"
                        + "  \(item.history.count) attempt\(item.history.count == 1 ? "" : "s")  \(error)"
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one delivery and every attempt (time, status, latency, response excerpt).",
            discussion: "Works for any delivery, dead or not."
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The delivery id.")
        var deliveryID: Int64

        func run() async throws {
            let id = deliveryID
            let (found, subscription) = try await database.withStore { store -> (DeliveryDetail?, Subscription?) in
                guard let item = try await store.deliveryDetail(id: id) else { return (nil, nil) }
                return (item, try await store.subscription(item.delivery.subscriptionID))
            }
            guard let item = found else { throw ValidationError("no delivery \(deliveryID)") }
            let delivery = item.delivery
            say("delivery \(delivery.id): \(delivery.status.rawValue)")
            say("  subscription  \(delivery.subscriptionID)  \(subscription?.url ?? "")")
            say("  event         \(delivery.eventID)  seq \(delivery.eventSequence)  \(item.eventType)")
            say("  ordering key  \(delivery.orderingKey)")
            if delivery.status == .pending {
                say("  next attempt  \(JSONCoding.format(delivery.nextAttemptAt))")
                if let blocker = item.parkedBy { say("  parked        behind delivery \(blocker)") }
            }
            if let lastError = delivery.lastError { say("  last error    \(lastError)") }
            say("  attempts      \(item.history.count)")
            for attempt in item.history {
                let status = attempt.statusCode.map { "HTTP \($0)" } ?? "no response"
                let latency = String(format: "%.1f ms", attempt.latencyMs)
                say("    #\(attempt.attempt)  \(JSONCoding.format(attempt.at))  \(status)  \(latency)  \(attempt.error ?? "ok")")
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay one dead delivery, or all dead deliveries matching a filter.",
            discussion: """
                Give a delivery id, or --all with optional --subscription and --event-type. Without --yes this is a
                dry run: it prints the plan (how many deliveries, to which endpoints) and changes nothing. With
                --yes the deliveries go back to pending, all in one transaction, and a running hub sends them.
                """
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The delivery to replay (dead or delivered).")
        var deliveryID: Int64?
        @Flag(help: "Replay every dead delivery matching the filters.")
        var all = false
        @Option(help: "With --all: only this subscription's.")
        var subscription: String?
        @Option(help: "With --all: only events of this type (order.received, order.*, or a CloudEvents type).")
        var eventType: String?
        @Flag(help: "Carry out the replay; without it, only print the plan.")
        var yes = false

        func validate() throws {
            switch (deliveryID, all) {
            case (nil, false): throw ValidationError("give a delivery id or --all")
            case (_?, true): throw ValidationError("give a delivery id or --all, not both")
            case (_?, false) where subscription != nil || eventType != nil:
                throw ValidationError("--subscription and --event-type go with --all")
            default: break
            }
        }

        func run() async throws {
            let (deliveryID, subscription, eventType, yes) = (deliveryID, subscription, eventType, yes)
            let plan = try await database.withStore { store -> ReplayPlan? in
                if let deliveryID {
                    try await Self.replayOne(deliveryID, store, confirm: yes)
                    return nil
                }
                if let subscription, try await store.subscription(subscription) == nil {
                    throw ValidationError("no subscription '\(subscription)'")
                }
                let filter = DeliveryFilter(status: .dead, subscriptionID: subscription, eventType: eventType)
                return try await store.replay(.deliveries(filter), confirm: yes, now: Date())
            }
            if let plan { printPlan(plan) }
        }

        private static func replayOne(_ id: Int64, _ store: any Store, confirm yes: Bool) async throws {
            guard let item = try await store.deliveryDetail(id: id) else { throw ValidationError("no delivery \(id)") }
            guard item.delivery.status != .pending else {
                throw ValidationError("delivery \(id) is pending; only dead or delivered deliveries can be replayed")
            }
            let url = try await store.subscription(item.delivery.subscriptionID)?.url ?? ""
            guard yes else {
                printPlan(
                    ReplayPlan(
                        deliveries: 1,
                        endpoints: [.init(subscriptionID: item.delivery.subscriptionID, url: url, deliveries: 1)],
                        confirmed: false
                    )
                )
                return
            }
            let outcome = try await store.replayDelivery(id: id, now: Date())
            switch outcome {
            case .replayed(let detail):
                say("replayed delivery \(id) (event \(detail.delivery.eventID)) to \(url): pending")
            case .notFound:
                throw ValidationError("no delivery \(id)")
            case .notReplayable(let status):
                throw ValidationError("delivery \(id) is \(status.rawValue); only dead or delivered deliveries can be replayed")
            }
        }
    }
}

/// Prints a replay plan; a dry run says how to carry it out.
func printPlan(_ plan: ReplayPlan) {
    let noun = "deliver\(plan.deliveries == 1 ? "y" : "ies")"
    say(plan.confirmed ? "replayed \(plan.deliveries) \(noun)" : "plan: \(plan.deliveries) \(noun) would be replayed")
    for endpoint in plan.endpoints {
        say("  \(endpoint.subscriptionID)  \(endpoint.url)  \(endpoint.deliveries)")
    }
    if !plan.confirmed { say("dry run: nothing changed; add --yes to replay") }
}

/// `order.received` for `com.crossdock.order.received.v1`.
func shortType(_ type: String) -> String {
    EventType(qualifiedName: type)?.name ?? type
}
