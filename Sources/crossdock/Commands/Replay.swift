import ArgumentParser
import CrossdockDomain
import CrossdockStore
import Foundation

/// `crossdock replay`: a subscription from a point of the log, or everything about one order.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a subscription from a sequence number or a time, or every delivery of one order.",
        discussion: """
            --subscription ID with --from-sequence N or --from-time T (RFC 3339): every event of the log at or
            after that point that the subscription wants is delivered again (events it has not reached yet are
            left to the normal fan-out). --order ID: every event of that order, to every subscription it went to.
            Dead and delivered deliveries go back to pending with a new round of retries; pending ones are already
            on their way. Event ids are kept, so receivers that dedupe apply nothing twice.
            Without --yes this is a dry run: it prints the plan (how many deliveries, to which endpoints) and
            changes nothing. Reads and writes the database directly, beside a running hub or without one.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "The subscription to replay (with --from-sequence or --from-time).")
    var subscription: String?
    @Option(help: "With --subscription: from this log sequence number on.")
    var fromSequence: Int64?
    @Option(help: "With --subscription: from events at or after this time (RFC 3339).")
    var fromTime: String?
    @Option(help: "The order whose every event is replayed to every subscription that had it.")
    var order: String?
    @Flag(help: "Carry out the replay; without it, only print the plan.")
    var yes = false

    func validate() throws {
        switch (subscription, order) {
        case (nil, nil): throw ValidationError("give --subscription or --order")
        case (_?, _?): throw ValidationError("give --subscription or --order, not both")
        case (_?, nil):
            guard (fromSequence == nil) != (fromTime == nil) else {
                throw ValidationError("--subscription needs --from-sequence or --from-time (one of them)")
            }
            if let fromSequence, fromSequence < 0 { throw ValidationError("--from-sequence must be 0 or more") }
            if let fromTime, JSONCoding.parse(fromTime) == nil { throw ValidationError("'\(fromTime)' is not an RFC 3339 time") }
        case (nil, _?):
            guard fromSequence == nil && fromTime == nil else { throw ValidationError("--from-sequence and --from-time go with --subscription") }
        }
    }

    func run() async throws {
        let selection: ReplaySelection
        let missing: String
        if let order {
            selection = .order(order)
            missing = "no order '\(order)'"
        } else if let subscription {
            let point: ReplayPoint =
                if let fromSequence { .sequence(fromSequence) } else { .time(fromTime.flatMap(JSONCoding.parse) ?? .distantFuture) }
            selection = .subscription(subscription, from: point)
            missing = "no subscription '\(subscription)'"
        } else {
            throw ValidationError("give --subscription or --order")
        }
        let confirm = yes
        let plan = try await database.withStore { store in try await store.replay(selection, confirm: confirm, now: Date()) }
        guard let plan else { throw ValidationError(missing) }
        printPlan(plan)
    }
}
