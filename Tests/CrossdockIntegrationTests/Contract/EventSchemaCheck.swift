import CrossdockDomain
import CrossdockHTTP
import CrossdockStore
import CrossdockTestSupport
import Foundation
import Testing

/// Validates the `data` of every event in a store's log against its published JSON Schema with Python's
/// `jsonschema` (see ``EventSchemaValidator``), as published and strictly (no undocumented member).
enum EventSchemaCheck {
    /// Checks every event; returns the types seen (empty when the validator is not installed and not required).
    @discardableResult
    static func expectValid(_ store: any Store, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Set<String> {
        guard EventSchemaValidator.requireOrSkip() else { return [] }
        let contract = try Contract.load()
        var events: [EventSchemaValidator.Event] = []
        var after: Int64 = 0
        while true {
            let page = try await store.events(after: after, limit: 1000)
            guard let last = page.last else { break }
            for event in page {
                let data = String(decoding: try JSONCoding.encoder().encode(event.data), as: UTF8.self)
                events.append(.init(id: event.id, type: event.type, data: data))
            }
            after = Int64(last.sequence) ?? after + Int64(page.count)
        }
        let types = Set(events.map(\.type))
        var schemas: [String: String] = [:]
        for type in types {
            guard let schema = contract.events.schema(type, baseURL: "http://hub.test") else { continue }
            schemas[type] = String(decoding: try JSONCoding.encoder().encode(schema), as: UTF8.self)
        }
        let verdict = try EventSchemaValidator.validate(events: events, schemas: schemas)
        #expect(
            verdict.checked == events.count && !events.isEmpty,
            "checked \(verdict.checked) of \(events.count) events",
            sourceLocation: sourceLocation
        )
        #expect(verdict.unknownTypes == [], "event types without a schema", sourceLocation: sourceLocation)
        let summary = verdict.errors.prefix(20).map { "\($0.type) \($0.id) [\($0.mode)] /\($0.path): \($0.message)" }
        #expect(
            verdict.errors.isEmpty,
            "\(verdict.errors.count) schema violation(s):\n\(summary.joined(separator: "\n"))",
            sourceLocation: sourceLocation
        )
        return types
    }
}
