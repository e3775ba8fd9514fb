import ArgumentParser
import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import Foundation

/// `crossdock partners`: partner profiles checked offline, before they are put on a running hub.
struct Partners: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with partner profiles offline.",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check partner profiles (and a mappings folder) with the rules PUT /v1/partners/{id} applies.",
            discussion: """
                Each FILE is one profile as PUT /v1/partners/{id} takes it: a JSON object with its kind (x12, shopify, \
                salesforce, carrier, csv) and its id. With --mappings, the folder's outbound mappings are compiled as \
                serve --mappings would load them. Every problem is printed as FILE: field: reason; the exit status is 1 \
                when there is any. Nothing is read from or written to a database.
                """
        )

        @Argument(help: "Profile files (JSON).")
        var files: [String] = []
        @Option(help: "A folder of outbound mapping files to compile as well.")
        var mappings: String?

        func validate() throws {
            if files.isEmpty && mappings == nil { throw ValidationError("give at least one profile FILE or --mappings DIR") }
        }

        func run() async throws {
            var failed = false
            for file in files {
                let problems = Self.problems(file: file)
                if problems.isEmpty {
                    print("\(file): ok")
                } else {
                    failed = true
                    for (field, reason) in problems { print("\(file): \(field): \(reason)") }
                }
            }
            if let mappings {
                do {
                    let catalog = try MappingCatalog.load(directory: URL(fileURLWithPath: mappings))
                    print("\(mappings): ok (\(catalog.names.joined(separator: ", ")))")
                } catch {
                    failed = true
                    print("\(mappings): \(error.code): \(error.message)")
                    for field in error.errors { print("\(mappings): \(field.field): \(field.reason)") }
                }
            }
            if failed { throw ExitCode(1) }
        }

        /// The problems of the profile in `file`, each with the field it names.
        static func problems(file: String) -> [(field: String, reason: String)] {
            guard let data = FileManager.default.contents(atPath: file) else { return [("file", "cannot be read")] }
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                return [("body", "must be a JSON object")]
            }
            let kinds = PartnerDirectory.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            guard case .string(let name)? = members["kind"], let kind = PartnerDirectory.Kind(rawValue: name) else {
                return [("kind", "must be one of \(kinds)")]
            }
            guard case .string(let id)? = members["id"], !id.isEmpty else { return [("id", "must name the partner")] }
            do {
                return try PartnerService.problems(id: id, kind: kind, document: data)
            } catch let error as DecodingError {
                return [Self.field(of: error)]
            } catch {
                return [("body", "\(error)")]
            }
        }

        /// The field a decoding error stopped at, as a dotted path, and why.
        static func field(of error: DecodingError) -> (String, String) {
            func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
                let keys = context.codingPath + (key.map { [$0] } ?? [])
                let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }
                return text.isEmpty ? "body" : String(text)
            }
            switch error {
            case .keyNotFound(let key, let context): return (path(context, key), "is required")
            case .typeMismatch(let type, let context): return (path(context), "must be \(type)")
            case .valueNotFound(let type, let context): return (path(context), "must be \(type), not null")
            case .dataCorrupted(let context): return (path(context), context.debugDescription)
            @unknown default: return ("body", "\(error)")
            }
        }
    }
}
