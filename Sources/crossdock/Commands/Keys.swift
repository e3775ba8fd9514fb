import ArgumentParser
import CrossdockEngine
import CrossdockStore
import Foundation

/// `crossdock keys`: API key administration.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys: create, list, rotate, revoke.",
        discussion: """
            A running hub re-reads a key at most a second after it last did, so a key revoked or rotated here (or on any \
            node) is refused everywhere within about a second; an expired key is refused at once.
            """,
        subcommands: [Create.self, List.self, Rotate.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key; only its hash is stored. The key is printed alone on the last line.",
            discussion: "Scopes: \(Scope.allCases.map(\.rawValue).joined(separator: ", "))."
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "A name for the key.")
        var name: String
        @Option(help: "Comma-separated scopes.")
        var scopes: String
        @Option(help: "Bind the key to this partner: it sees only the partner's orders, events, documents and subscriptions.")
        var partner: String?
        @Option(help: "When the key stops working: an ISO 8601 instant (2027-06-30T00:00:00Z) or a number of days (90d).")
        var expires: String?

        func run() async throws {
            let list = scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (name, partner) = (name, partner)
            let expiresAt = try expires.map(Self.instant)
            let (record, secret) = try await database.withStore { store in
                do {
                    return try await APIKeys.create(in: store, name: name, scopes: list, partner: partner, expiresAt: expiresAt)
                } catch let error as EngineError {
                    throw ValidationError(error.message)
                }
            }
            let expiry = record.expiresAt.map { ", expires \($0.ISO8601Format())" } ?? ""
            print("created key \(record.id) '\(record.name)' with scopes \(record.scopes.joined(separator: ","))\(expiry)")
            print(secret)
        }

        /// `90d` as that many days from now, or an ISO 8601 instant.
        static func instant(_ text: String) throws -> Date {
            if text.hasSuffix("d"), let days = Int(text.dropLast()), days > 0 { return Date().addingTimeInterval(Double(days) * 86_400) }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw ValidationError("--expires takes an ISO 8601 instant (2027-06-30T00:00:00Z) or a number of days (90d), not '\(text)'")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys: id, name, scopes, partner, status, expiry and last use.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let keys = try await database.withStore { try await $0.keys() }
            let now = Date()
            let rows = keys.map { key in
                [
                    key.id, key.name, key.scopes.joined(separator: ","), key.partner ?? "-",
                    key.refusal(at: now)?.rawValue ?? "active",
                    key.expiresAt?.ISO8601Format() ?? "-", key.lastUsedAt?.ISO8601Format() ?? "never",
                ]
            }
            printTable(header: ["ID", "NAME", "SCOPES", "PARTNER", "STATUS", "EXPIRES", "LAST USED"], rows: rows)
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a key a new secret; the old one stops working. The new secret is printed alone on the last line."
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The key's id (see `crossdock keys list`).")
        var id: String

        func run() async throws {
            let id = id
            guard let secret = try await database.withStore({ try await APIKeys.rotate(in: $0, id: id) }) else {
                throw ValidationError("no active key has the id '\(id)'")
            }
            print("rotated key \(id); the previous secret is refused from now on")
            print(secret)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key for good.")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The key's id (see `crossdock keys list`).")
        var id: String

        func run() async throws {
            let id = id
            guard try await database.withStore({ try await $0.revokeKey(id, at: Date()) }) else {
                throw ValidationError("no active key has the id '\(id)'")
            }
            print("revoked key \(id)")
        }
    }
}

/// `crossdock migrate`: applies pending migrations.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let url = try await database.url()
        _ = try await StoreFactory.open(url)
        print("migrations applied to \(url)")
    }
}
