import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The watchdogs' deadlines and the orders' return windows: `GET /v1/watchdog-deadlines` (the stored document, the
/// built-in defaults beside it) and `PUT /v1/watchdog-deadlines` (replaces it; a value out of range, an unknown member
/// or a limit in a section it does not apply to is refused with 422 naming the field). Hub-wide keys only.
struct WatchdogRoutes {
    let store: any Store

    /// The view: what is configured, and what applies where nothing is.
    struct View: Encodable {
        var deadlines: WatchdogDeadlines
        var builtIn: WatchdogDeadlines.Limits
    }

    func add(to router: RouteTable) {
        router.get("/v1/watchdog-deadlines") { _, context in
            _ = try context.require(.masterRead)
            try context.requireHubWide("the watchdog deadlines")
            let deadlines = try await store.watchdogDeadlines() ?? WatchdogDeadlines()
            return try Response.json(View(deadlines: deadlines, builtIn: WatchdogDeadlines.builtIn))
        }
        router.put("/v1/watchdog-deadlines") { request, context in
            _ = try context.require(.masterWrite)
            try context.requireHubWide("the watchdog deadlines")
            let bytes = try await PartnerRoutes.jsonBytes(request)
            guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                throw Problem(status: .badRequest, code: "malformed_json", title: "Malformed JSON", detail: "the body is not valid JSON")
            }
            let deadlines: WatchdogDeadlines
            do {
                deadlines = try WatchdogDeadlines.parse(json)
            } catch let error as IntakeError {
                throw Problem(status: .unprocessableContent, code: error.code, title: "Invalid fields", detail: error.message, errors: error.errors)
            }
            try await store.putWatchdogDeadlines(deadlines, at: Date())
            return try Response.json(View(deadlines: deadlines, builtIn: WatchdogDeadlines.builtIn))
        }
    }
}
