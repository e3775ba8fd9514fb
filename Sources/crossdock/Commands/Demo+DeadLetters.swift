import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1

/// The desk's look at the dead letters. A partner that is down for longer than a delivery's retry budget (the
/// demo's is seconds, a production hub's is hours) leaves a dead head that parks the rest of its key; nothing is
/// lost, and an operator replays it once the partner is back, as a team would after an outage.
extension DemoRun {
    /// Replays each dead delivery through `POST /v1/deliveries/{id}/replay`, at most three times each (a delivery
    /// that keeps dying is left in the dead-letter queue for the summary to show). Call while every partner is up.
    func replayDeadLetters() async throws {
        let answer = try await admin.send(.GET, "/v1/deliveries?status=dead&limit=100")
        guard answer.status == 200 else {
            unexpected("list dead letters", answer)
            return
        }
        for detail in try decode([DeliveryDetail].self, answer) {
            let id = detail.delivery.id
            guard deadLettersReplayed[id, default: 0] < 3 else { continue }
            let replay = try await admin.send(.POST, "/v1/deliveries/\(id)/replay")
            guard replay.status == 200 else {
                unexpected("replay dead letter \(id)", replay)
                continue
            }
            deadLettersReplayed[id, default: 0] += 1
            let reason = detail.delivery.lastError ?? detail.delivery.lastStatusCode.map { "HTTP \($0)" } ?? "no answer"
            note(
                "dead letter \(id) (\(detail.eventType) to subscription \(detail.delivery.subscriptionID), \(detail.delivery.attempts) attempts, last: \(reason.prefix(80))) replayed by the desk"
            )
        }
    }
}
