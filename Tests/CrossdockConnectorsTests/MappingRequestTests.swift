import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

/// The parts of a mapping that make requests to a partner's own API: `path`, `$switch`, `$json`, `$reference` and the
/// `reference` read from the partner's reply.
@Suite("Outbound mapping requests")
struct MappingRequestTests {
    static let event = #"""
        {"specversion":"1.0","id":"evt-9","type":"com.crossdock.order.accepted.v1","sequence":"77","time":"2024-08-01T16:30:00.000Z",
         "correlationid":"SO-1",
         "data":{"orderId":"SO-1","status":"accepted","whole":true,"lines":[{"sku":"A","quantity":2}],"shipmentId":"S-1"}}
        """#.bytes

    func mapping(_ members: String) throws(ConnectorError) -> OutboundMapping {
        try OutboundMapping(json: #"{"name":"t","events":["order.accepted"],"contentType":"application/json",\#(members)}"#.bytes, source: "t.json")
    }

    @Test("$switch picks the case of the operand's text; $default covers a missing case")
    func switchCases() throws {
        let request = try mapping(
            #""template":{"a":{"$switch":"$.data.status","cases":{"accepted":"yes","held":"no"}},"b":{"$switch":"$.data.whole","cases":{"true":1,"false":0}},"c":{"$switch":"$.data.status","cases":{"x":1},"$default":"none"}}"#
        ).request(event: Self.event)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"a":"yes","b":1,"c":"none"}"#)
        #expect(request.path == nil)
        #expect(throws: ConnectorError.self) {
            try mapping(#""template":{"c":{"$switch":"$.data.status","cases":{"x":1}}}"#).request(event: Self.event)
        }
    }

    @Test("$json renders a template as JSON text inside a string")
    func json() throws {
        let body = try mapping(#""template":{"value":{"$json":{"s":"$.data.status","n":"$.data.lines[0].quantity"}}}"#).request(event: Self.event)
            .body
        #expect(String(decoding: body, as: UTF8.self) == #"{"value":"{\"s\":\"accepted\",\"n\":2}"}"#)
    }

    @Test("path is rendered and must start with /")
    func path() throws {
        let request = try mapping(#""path":{"$concat":["/orders/","$.data.orderId","/fulfillments.json"]},"template":{}"#).request(event: Self.event)
        #expect(request.path == "/orders/SO-1/fulfillments.json")
        #expect(throws: ConnectorError.self) { try mapping(#""path":"$.data.status","template":{}"#).request(event: Self.event) }
        #expect(throws: ConnectorError.self) { try mapping(#""path":"/a/../b","template":{}"#).request(event: Self.event) }
    }

    @Test("$reference reads the partner's number recorded for the order; without it the path is missing")
    func references() throws {
        let mapping = try mapping(
            #""path":{"$concat":["/f/",{"$reference":{"$concat":["fulfillment:","$.data.shipmentId"]}}]},"template":{"id":{"$reference":"fulfillment:S-1","$default":null}}"#
        )
        #expect(mapping.usesReferences)
        let request = try mapping.request(event: Self.event, references: ["fulfillment:S-1": "9001"])
        #expect(request.path == "/f/9001")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"id":"9001"}"#)
        let error = try #require(throws: ConnectorError.self) { try mapping.request(event: Self.event) }
        #expect(error.message.contains("fulfillment:S-1: no reference of this type was recorded for the order"))
        #expect(try self.mapping(#""template":{}"#).usesReferences == false)
    }

    @Test("reference reads the number from a 2xx reply ($) and the event ($$)")
    func replyReference() throws {
        let mapping = try mapping(
            #""reference":{"type":{"$concat":["fulfillment:","$$.data.shipmentId"]},"number":"$.fulfillment.id"},"template":{}"#
        )
        let found = mapping.reference(reply: #"{"fulfillment":{"id":9001,"status":"success"}}"#.bytes, event: Self.event)
        #expect(found?.type == "fulfillment:S-1" && found?.number == "9001")
        #expect(mapping.reference(reply: #"{"errors":"x"}"#.bytes, event: Self.event) == nil)
        #expect(mapping.reference(reply: "not json".bytes, event: Self.event) == nil)
    }

    @Test(
        "bad request parts are refused at load with their pointer",
        arguments: [
            (#""reference":{"type":"x"},"template":{}"#, "/reference"),
            (#""template":{"$switch":"$.a"}"#, "/template/cases"),
            (#""template":{"$switch":"$.a","cases":{"x":"$..bad"}}"#, "/template/cases/x"),
            (#""path":"$..bad","template":{}"#, "/path"),
        ]
    )
    func loadErrors(members: String, pointer: String) {
        let error = #expect(throws: ConnectorError.self) { try mapping(members) }
        #expect(error?.errors.contains { $0.field == pointer } == true, "\(error?.errors ?? [])")
    }
}
