import Foundation

// MARK: - Replaying

/// What a replay would touch: deliveries to reset, and (subscription replays) deliveries to create.
struct ReplayTargets {
    struct Reset {
        var id: Int64
        var subscriptionID: String
    }

    struct Missing {
        var subscriptionID: String
        var eventSequence: Int64
        var orderingKey: String
    }

    var resets: [Reset] = []
    var missing: [Missing] = []
    /// Subscription id → URL.
    var urls: [String: String] = [:]

    /// Only the targets in `subscriptions` (nil keeps all).
    func limited(to subscriptions: Set<String>?) -> ReplayTargets {
        guard let subscriptions else { return self }
        var kept = self
        kept.resets.removeAll { !subscriptions.contains($0.subscriptionID) }
        kept.missing.removeAll { !subscriptions.contains($0.subscriptionID) }
        kept.urls = urls.filter { subscriptions.contains($0.key) }
        return kept
    }

    func plan(confirmed: Bool) -> ReplayPlan {
        var counts: [String: Int] = [:]
        for reset in resets { counts[reset.subscriptionID, default: 0] += 1 }
        for item in missing { counts[item.subscriptionID, default: 0] += 1 }
        let endpoints = counts.map { ReplayPlan.Endpoint(subscriptionID: $0.key, url: urls[$0.key] ?? "", deliveries: $0.value) }
            .sorted { ($0.deliveries, $1.subscriptionID) > ($1.deliveries, $0.subscriptionID) }
        return ReplayPlan(deliveries: resets.count + missing.count, endpoints: endpoints, confirmed: confirmed)
    }
}
