import ArgumentParser
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// `crossdock limits`: rate-limit policies per API key and per partner.
struct Limits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage rate-limit policies: list, set, remove.",
        discussion: """
            A subject is key:<key id> (one key), partner:<partner> (every key bound to the partner, together), key:* or \
            partner:* (each key or partner no policy of its own names; these override serve's --rate-limit and \
            --partner-rate-limit). A running hub reads the policies again at most a second after it last did, so a \
            change made here applies on every node within about a second, without a restart.
            """,
        subcommands: [List.self, SetPolicy.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the stored policies.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let policies = try await database.withStore { try await $0.rateLimitPolicies() }
            printTable(
                header: ["SUBJECT", "REQUESTS", "WINDOW", "UPDATED"],
                rows: policies.map { [$0.subject, String($0.requests), "\($0.windowSeconds)s", $0.updatedAt.ISO8601Format()] }
            )
        }
    }

    struct SetPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Create or replace the policy of a subject.")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "key:<key id>, partner:<partner>, key:* or partner:*.")
        var subject: String
        @Argument(help: "REQUESTS/WINDOW, the window in seconds with an optional unit: 600/60s, 600/1m, 10000/1h.")
        var limit: String

        func run() async throws {
            guard let parsed = RateLimitOption.parse(limit) else {
                throw ValidationError("the limit must be REQUESTS/WINDOW, e.g. 600/60s, not '\(limit)'")
            }
            let subject = subject
            let policy = try await database.withStore { store in
                do {
                    return try await RateLimitPolicies.put(
                        in: store,
                        subject: subject,
                        requests: parsed.requests,
                        windowSeconds: parsed.windowSeconds
                    )
                } catch let error as EngineError {
                    throw ValidationError(error.errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "))
                }
            }
            print("\(policy.subject): \(policy.requests) requests per \(policy.windowSeconds) s")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the policy of a subject.")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The subject whose policy goes.")
        var subject: String

        func run() async throws {
            let subject = subject
            guard try await database.withStore({ try await $0.removeRateLimitPolicy(subject: subject) }) else {
                throw ValidationError("no policy for '\(subject)'")
            }
            print("removed the policy of \(subject)")
        }
    }
}
