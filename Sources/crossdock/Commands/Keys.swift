import ArgumentParser
import CrossdockEngine
import CrossdockStore
import Foundation

/// `crossdock keys`: API key administration.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API keys.", subcommands: [Create.self])

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
        @Option(help: "The partner the key acts for.")
        var partner: String?

        func run() async throws {
            let list = scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (name, partner) = (name, partner)
            let (record, secret) = try await database.withStore { store in
                do {
                    return try await APIKeys.create(in: store, name: name, scopes: list, partner: partner)
                } catch let error as EngineError {
                    throw ValidationError(error.message)
                }
            }
            print("created key \(record.id) '\(record.name)' with scopes \(record.scopes.joined(separator: ","))")
            print(secret)
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
