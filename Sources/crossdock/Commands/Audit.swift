import ArgumentParser
import CrossdockDomain
import CrossdockStore
import Foundation

/// `crossdock audit`: reads the audit log straight from the database, one JSON entry a line, oldest first.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print audit log entries (writes made with API keys), one JSON object a line, oldest first.",
        discussion: """
            The same entries as GET /v1/audit, read from the database (sqlite:PATH or postgres://…). The last line is \
            the position to pass as --after for the next page.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Only writes by this API key id.")
    var key: String?
    @Option(help: "Only this resource (customer/CUST-001) or every resource of a type (customer).")
    var resource: String?
    @Option(help: "Only entries at or after this RFC 3339 time.")
    var since: String?
    @Option(help: "Only entries before this RFC 3339 time.")
    var until: String?
    @Option(help: "Only entries after this position.")
    var after: Int64 = 0
    @Option(help: "At most this many entries (1…10000).")
    var limit: Int = 100

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit takes 1…10000") }
        guard after >= 0 else { throw ValidationError("--after takes a position (0 or more)") }
        for (name, value) in [("--since", since), ("--until", until)] where value.map({ JSONCoding.parse($0) == nil }) ?? false {
            throw ValidationError("\(name) takes an RFC 3339 time, e.g. 2026-12-01T00:00:00Z")
        }
    }

    func run() async throws {
        var query = AuditQuery(after: after, limit: limit)
        query.keyID = key
        query.resource = resource
        query.since = since.flatMap(JSONCoding.parse)
        query.until = until.flatMap(JSONCoding.parse)
        let request = query
        let entries = try await database.withStore { try await $0.auditEntries(request) }
        let encoder = JSONCoding.encoder()
        for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
        print("next after: \(entries.last?.seq ?? after)")
    }
}
