import CrossdockEngine
import CrossdockStore
import Foundation
import UnixSignals

extension Demo {
    /// `--keep`: leaves the hub and the sandbox partners running after the summary, with a console key printed, until
    /// SIGINT or SIGTERM (the service group then shuts everything down in order).
    func keepRunning(_ hub: LocalHub) async throws {
        let scopes: [Scope] = [.ordersRead, .ordersWrite, .eventsRead, .subscriptionsWrite]
        let (_, secret) = try await APIKeys.create(in: hub.store, name: "demo-console", scopes: scopes.map(\.rawValue))
        let base = hub.nodes?.urls.first ?? hub.baseURL
        say("")
        say("the hub keeps running (--keep) on \(hub.store.location):")
        say("  console   \(base)/console   sign in with \(secret)")
        say("  API       \(base)/v1/…   Authorization: Bearer \(hub.adminKey)   (docs at \(base)/docs)")
        say("press Ctrl-C to stop")
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { break }
        say("stopping")
    }
}
