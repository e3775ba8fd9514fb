import CrossdockDomain
import CrossdockStore
import CrossdockTestSupport
import Foundation
import Testing

/// `crossdock dlq list|show|replay` and `crossdock replay`, run as child processes against a hub's database.
@Suite struct ReplayCommandLineTests {
    /// Runs `crossdock` with `arguments`; returns exit status and the combined output.
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(try HubProcess.executable, arguments)
        return (result.status, result.text)
    }

    @Test func dlqListShowAndReplayOneOrAll() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let db = ["--db", database.url]
            let before = try await database.store.allDeliveries()
            let dead = before.filter { $0.delivery.status == .dead }

            let list = try run(["dlq", "list"] + db)
            #expect(list.status == 0, "\(list.output)")
            #expect(list.output.contains("\(dead.count) dead deliveries"))
            for item in dead {
                #expect(list.output.contains("  \(item.delivery.id)  \(fixture.dead)  seq \(item.delivery.eventSequence)  "))
            }
            #expect(list.output.contains("HTTP 503: down for maintenance"))
            #expect(try run(["dlq", "list", "--subscription", fixture.delivered] + db).output.contains("0 dead deliveries"))
            #expect(try run(["dlq", "list", "--limit", "1"] + db).output.contains("1 dead delivery"))

            let first = dead[0].delivery
            let show = try run(["dlq", "show", String(first.id)] + db)
            #expect(show.status == 0, "\(show.output)")
            for text in [
                "delivery \(first.id): dead", ReplayFixture.sink, first.eventID, "#1", "no response", "connection refused", "#2", "HTTP 503",
                "12.0 ms",
            ] {
                #expect(show.output.contains(text), "\(text) in \(show.output)")
            }
            let unknown = try run(["dlq", "show", "999999"] + db)
            #expect(unknown.status != 0 && unknown.output.contains("no delivery 999999"))

            // One: a dry run first, then for real; a pending one is refused.
            let dry = try run(["dlq", "replay", String(first.id)] + db)
            #expect(dry.status == 0, "\(dry.output)")
            #expect(dry.output.contains("plan: 1 delivery would be replayed"))
            #expect(dry.output.contains("\(fixture.dead)  \(ReplayFixture.sink)  1"))
            #expect(dry.output.contains("dry run: nothing changed"))
            #expect(try await database.store.allDeliveries() == before)
            let one = try run(["dlq", "replay", String(first.id), "--yes"] + db)
            #expect(one.status == 0, "\(one.output)")
            #expect(one.output.contains("replayed delivery \(first.id) (event \(first.eventID))"))
            let replayed = try #require(try await database.store.deliveryDetail(id: first.id))
            #expect(replayed.delivery.status == .pending && replayed.delivery.attempts == 0 && replayed.delivery.eventID == first.eventID)
            let again = try run(["dlq", "replay", String(first.id), "--yes"] + db)
            #expect(again.status != 0 && again.output.contains("is pending"))

            // All, by filter.
            let received = dead.dropFirst().filter { $0.eventType == EventType.orderReceived.qualifiedName }.count
            let plan = try run(["dlq", "replay", "--all", "--event-type", "order.received"] + db)
            #expect(plan.output.contains("plan: \(received) deliveries would be replayed"), "\(plan.output)")
            let unchanged = try await database.store.allDeliveries()
            #expect(unchanged.filter { $0.delivery.status == .dead }.count == dead.count - 1)
            let all = try run(["dlq", "replay", "--all", "--subscription", fixture.dead, "--yes"] + db)
            #expect(all.status == 0, "\(all.output)")
            #expect(all.output.contains("replayed \(dead.count - 1) deliveries"))
            #expect(try await database.store.deliveryCounts().dead == 0)
            #expect(try await database.store.allDeliveries().map(\.delivery.eventID) == before.map(\.delivery.eventID))

            for (arguments, message) in [
                (["dlq", "replay"], "give a delivery id or --all"),
                (["dlq", "replay", "1", "--all"], "not both"),
                (["dlq", "replay", "1", "--event-type", "order.received"], "go with --all"),
                (["dlq", "replay", "--all", "--subscription", "nope"], "no subscription 'nope'"),
            ] {
                let refused = try run(arguments + db)
                #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
            }
        }
    }

    @Test func replayASubscriptionOrAnOrder() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let db = ["--db", database.url]
            let before = try await database.store.allDeliveries()
            let order = fixture.orderIDs[0]
            let events = Set(try await database.store.events(after: 0, limit: 10_000).filter { $0.correlationid == order }.map(\.id))
            let ofOrder = before.filter { events.contains($0.delivery.eventID) }

            let plan = try run(["replay", "--order", order] + db)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("plan: \(ofOrder.count) deliveries would be replayed"))
            #expect(plan.output.contains(ReplayFixture.sink) && plan.output.contains(ReplayFixture.live), "every subscription that had them")
            #expect(try await database.store.allDeliveries() == before)
            let done = try run(["replay", "--order", order, "--yes"] + db)
            #expect(done.output.contains("replayed \(ofOrder.count) deliveries"), "\(done.output)")
            #expect(
                try await database.store.allDeliveries().filter { events.contains($0.delivery.eventID) }.allSatisfy { $0.delivery.status == .pending }
            )

            let delivered = try await database.store.allDeliveries().filter {
                $0.delivery.subscriptionID == fixture.delivered && $0.delivery.status == .delivered
            }
            let fromSequence = try run(["replay", "--subscription", fixture.delivered, "--from-sequence", "0"] + db)
            #expect(fromSequence.output.contains("plan: \(delivered.count) deliveries would be replayed"), "\(fromSequence.output)")
            let fromTime = try run(["replay", "--subscription", fixture.delivered, "--from-time", "2000-01-01T00:00:00Z", "--yes"] + db)
            #expect(fromTime.output.contains("replayed \(delivered.count) deliveries"), "\(fromTime.output)")
            #expect(try await database.store.deliveryCounts().delivered == 0)

            for (arguments, message) in [
                (["replay"], "give --subscription or --order"),
                (["replay", "--subscription", fixture.dead], "--from-sequence or --from-time"),
                (
                    ["replay", "--subscription", fixture.dead, "--from-sequence", "1", "--from-time", "2000-01-01T00:00:00Z"],
                    "--from-sequence or --from-time"
                ),
                (["replay", "--subscription", fixture.dead, "--from-time", "noon"], "'noon' is not an RFC 3339 time"),
                (["replay", "--order", order, "--subscription", fixture.dead], "not both"),
                (["replay", "--order", "SO-NOPE"], "no order 'SO-NOPE'"),
                (["replay", "--subscription", "nope", "--from-sequence", "0"], "no subscription 'nope'"),
            ] {
                let refused = try run(arguments + db)
                #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
            }
        }
    }

    @Test func everyReplayCommandExplainsItself() throws {
        for command in [["dlq"], ["dlq", "list"], ["dlq", "show"], ["dlq", "replay"], ["replay"]] {
            let help = try run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.output.contains("USAGE: crossdock \(command.joined(separator: " "))"), "\(help.output)")
        }
        #expect(try run(["dlq", "replay", "--help"]).output.contains("--yes"))
        #expect(try run(["replay", "--help"]).output.contains("--from-sequence"))
        #expect(try run(["--help"]).output.contains("dlq"))
    }
}
