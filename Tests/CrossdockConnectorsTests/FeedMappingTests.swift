import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

/// Feed mappings: the outbound mapping format with `"feed"` instead of `"events"`, rendering a sender's record.
@Suite("Feed mappings")
struct FeedMappingTests {
    func load(_ json: String) throws(ConnectorError) -> OutboundMapping {
        try OutboundMapping(json: Array(json.utf8), source: "f.json")
    }

    @Test func aFeedMappingRendersEachRecordAndIsNeverAnEventMapping() throws {
        let mapping = try load(#"{"name":"f","feed":"warehouse","template":{"id":"$.Code","name":"$.Name","region":"$.Region","priority":"$.Rank"}}"#)
        #expect(mapping.feed == "warehouse" && mapping.events.isEmpty && !mapping.handles("order.accepted"))
        let record = JSONValue.object(["Code": .string("WH-9"), "Name": .string("Nine"), "Region": .string("US-TX"), "Rank": .number(4)])
        let rendered = try mapping.render(record: record)
        #expect(rendered == .object(["id": .string("WH-9"), "name": .string("Nine"), "region": .string("US-TX"), "priority": .number(4)]))
        #expect(throws: ConnectorError.self) { try mapping.render(record: .object(["Code": .string("WH-9")])) }
    }

    @Test func aFeedMappingIsCheckedWhenItIsLoaded() {
        for (json, pointer) in [
            (#"{"name":"f","feed":"warehouse","events":["order.accepted"],"template":{}}"#, "/feed"),
            (#"{"name":"f","feed":"invoice","template":{}}"#, "/feed"),
            (#"{"name":"f","feed":"product","body":"$.x"}"#, "/template"),
            (#"{"name":"f","feed":"product","template":{},"path":"/x"}"#, "/path"),
        ] {
            do {
                _ = try load(json)
                Issue.record("\(json) loaded")
            } catch {
                #expect(error.errors.contains { $0.field == pointer }, "\(json): \(error.errors)")
            }
        }
    }
}
