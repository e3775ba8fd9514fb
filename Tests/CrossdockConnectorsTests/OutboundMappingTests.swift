import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

@Suite("Outbound mapping operators and validation")
struct OutboundMappingTests {
    static let event = #"""
        {"specversion":"1.0","id":"evt-9","type":"com.crossdock.order.accepted.v1","time":"2024-08-01T16:30:00.000Z",
         "data":{"orderId":"SO-1","status":"accepted","note":null,"total":{"currency":"JPY","minorUnits":1500},"cents":-5,
                 "lines":[{"sku":"A","quantity":2,"tags":["x",null,3]},{"sku":"B","quantity":1,"tags":[]}],
                 "document":"ISA*00*~"}}
        """#.bytes

    func mapping(
        _ template: String,
        tables: String = "{}",
        key: String = "template",
        events: String = #"["order.accepted"]"#
    ) throws(ConnectorError)
        -> OutboundMapping
    {
        let json = #"{"name":"t","events":\#(events),"contentType":"application/json","tables":\#(tables),"\#(key)":\#(template)}"#
        return try OutboundMapping(json: json.bytes, source: "t.json")
    }

    func render(_ template: String, tables: String = "{}") throws -> String {
        String(decoding: try mapping(template, tables: tables).render(event: Self.event).body, as: UTF8.self)
    }

    @Test func pathsConstantsAndLiterals() throws {
        #expect(
            try render(#"{"id":"$.data.orderId","last":"$.data.lines[-1].sku","n":7,"flag":true,"s":"plain","c":{"$const":"$not a path"}}"#)
                == #"{"id":"SO-1","last":"B","n":7,"flag":true,"s":"plain","c":"$not a path"}"#
        )
        #expect(
            try render(#"{"whole":"$.data.total","arr":["$.id",{"$path":"$.data.status"}]}"#)
                == #"{"whole":{"currency":"JPY","minorUnits":1500},"arr":["evt-9","accepted"]}"#
        )
    }

    @Test("$each: $ is the element, $$ the event")
    func each() throws {
        #expect(
            try render(#"{"lines":{"$each":"$.data.lines","template":{"sku":"$.sku","order":"$$.data.orderId","q":"$.quantity"}}}"#)
                == #"{"lines":[{"sku":"A","order":"SO-1","q":2},{"sku":"B","order":"SO-1","q":1}]}"#
        )
    }

    @Test func money() throws {
        #expect(
            try render(#"{"a":{"$money":"$.data.total"},"b":{"$money":"$.data.cents"},"c":{"$money":"$.data.cents","currency":"KWD","as":"number"}}"#)
                == #"{"a":"1500","b":"-0.05","c":-0.005}"#
        )
    }

    @Test("$default catches a missing path and a null, not a wrong type")
    func defaults() throws {
        #expect(
            try render(
                #"{"a":{"$path":"$.data.nope","$default":"x"},"b":{"$path":"$.data.note","$default":0},"c":{"$each":"$.data.gone","template":"$","$default":[]}}"#
            )
                == #"{"a":"x","b":0,"c":[]}"#
        )
        #expect(try render(#"{"a":{"$path":"$.data.nope","$default":"$.data.orderId"}}"#) == #"{"a":"SO-1"}"#)
        let error = connectorError { () throws(ConnectorError) in
            _ = try mapping(#"{"a":{"$money":"$.data.orderId","$default":"0"}}"#).render(event: Self.event)
        }
        #expect(error?.code == "mapping_failed")
    }

    @Test func joinConcatLookup() throws {
        let tables = #"{"status":{"accepted":"OPEN"}}"#
        #expect(
            try render(
                ##"{"j":{"$join":"$.data.lines[0].tags","separator":"|"},"c":{"$concat":["#","$.data.orderId","-",{"$path":"$.data.lines[0].quantity"}]},"l":{"$lookup":"$.data.status","table":"status"},"m":{"$lookup":"$.data.orderId","table":"status","$default":"?"}}"##,
                tables: tables
            )
                == ##"{"j":"x|3","c":"#SO-1-2","l":"OPEN","m":"?"}"##
        )
        let error = connectorError { () throws(ConnectorError) in
            _ = try mapping(#"{"l":{"$lookup":"$.data.orderId","table":"status"}}"#, tables: tables).render(event: Self.event)
        }
        #expect(error?.message == "mapping t: SO-1: has no entry in table status (at /template/l/$lookup, no $default)")
    }

    @Test("the raw form passes a string field through as the body")
    func rawBody() throws {
        let raw = try OutboundMapping(
            json: #"{"name":"edi","events":["order.accepted"],"contentType":"application/edi-x12","body":"$.data.document"}"#.bytes,
            source: "edi.json"
        )
        let (contentType, body) = try raw.render(event: Self.event)
        #expect(contentType == "application/edi-x12" && body == "ISA*00*~".bytes)
        let notString = try OutboundMapping(
            json: #"{"name":"edi","events":["order.accepted"],"contentType":"text/plain","body":"$.data.total"}"#.bytes,
            source: "edi.json"
        )
        let error = connectorError { () throws(ConnectorError) in _ = try notString.render(event: Self.event) }
        #expect(error?.errors.first == .init(field: "body", reason: "must render a string (at /body)"))
    }

    @Test("a missing path without $default names the path and the template pointer")
    func missingPath() throws {
        let mapping = try mapping(#"{"x":{"$each":"$.data.lines","template":{"w":"$.weight"}}}"#)
        let error = connectorError { () throws(ConnectorError) in _ = try mapping.render(event: Self.event) }
        #expect(error?.code == "mapping_failed")
        #expect(error?.message == "mapping t: $.weight: missing (at /template/x/template/w, no $default)")
        #expect(error?.errors == [.init(field: "$.weight", reason: "missing (at /template/x/template/w, no $default)")])
        let notJSON = connectorError { () throws(ConnectorError) in _ = try mapping.render(event: "{".bytes) }
        #expect(notJSON?.message.hasPrefix("mapping t: the event is not JSON") == true)
    }

    @Test("JSONValue and CloudEvent inputs render the same body")
    func otherInputs() throws {
        let mapping = try mapping(#"{"id":"$.data.orderId","q":"$.data.n","type":"$.type"}"#)
        let value = JSONValue.object([
            "type": .string("com.crossdock.order.accepted.v1"), "data": .object(["orderId": .string("SO-2"), "n": .number(3)]),
        ])
        #expect(try mapping.render(event: value).body == #"{"id":"SO-2","q":3,"type":"com.crossdock.order.accepted.v1"}"#.bytes)
        let cloud = CloudEvent(
            id: "e",
            source: "/crossdock/hub",
            type: .orderAccepted,
            subject: "SO-3",
            time: .now,
            sequence: 1,
            correlationID: "SO-3",
            causationID: nil,
            data: .object(["orderId": .string("SO-3"), "n": .number(1)])
        )
        #expect(try mapping.render(event: cloud).body == #"{"id":"SO-3","q":1,"type":"com.crossdock.order.accepted.v1"}"#.bytes)
    }

    @Test(
        "validation names the file and the JSON pointer",
        arguments: [
            (#"{"a":{"$mnoey":"$.x"}}"#, "/template/a/$mnoey", "unknown operator $mnoey"),
            (#"{"a":"$.data..x"}"#, "/template/a", #"bad path "$.data..x": empty or invalid member name at character 8"#),
            (#"{"a":"$data"}"#, "/template/a", #"bad path "$data": unexpected character at 2"#),
            (#"{"a":{"b":["ok","$.x[one]"]}}"#, "/template/a/b/1", #"bad path "$.x[one]": expected [<whole number>] at character 4"#),
            (#"{"a":{"$each":"$.x"}}"#, "/template/a/template", "missing: $each needs a template"),
            (#"{"a":{"$lookup":"$.x","table":"nope"}}"#, "/template/a/table", #"no table "nope""#),
            (#"{"a":{"$money":"$.x","as":"float"}}"#, "/template/a/as", #"must be "string" or "number""#),
            (#"{"a":{"$default":1}}"#, "/template/a/$default", "$default needs a value to default"),
            (#"{"a":{"$path":"$.x","$const":1}}"#, "/template/a", "one operator per object"),
            (#"{"a":{"$money":"$.x","extra":1}}"#, "/template/a/extra", "unexpected key in a $money object"),
            (#"{"a/b":{"$concat":[]}}"#, "/template/a~1b/$concat", "must be a non-empty array"),
        ]
    )
    func templateErrors(template: String, pointer: String, reason: String) {
        let error = connectorError { () throws(ConnectorError) in _ = try mapping(template) }
        #expect(error?.code == "invalid_mapping")
        #expect(error?.errors.count == 1)
        #expect(error?.errors.first?.field == pointer)
        #expect(error?.errors.first?.reason.hasPrefix(reason) == true, "\(error?.errors.first?.reason ?? "")")
        #expect(error?.message.hasPrefix("t.json#\(pointer): ") == true)
    }

    @Test func headerErrors() {
        let unknownEvent = connectorError { () throws(ConnectorError) in _ = try mapping(#"{}"#, events: #"["order.accepted","order.acepted"]"#) }
        #expect(unknownEvent?.errors.first?.field == "/events/1")
        #expect(unknownEvent?.errors.first?.reason.hasPrefix(#"unknown event type "order.acepted""#) == true)
        let missing = connectorError { () throws(ConnectorError) in
            _ = try OutboundMapping(json: #"{"extra":1}"#.bytes, source: "m.json", expectedName: "m")
        }
        #expect(missing?.errors.map(\.field) == ["/extra", "/name", "/events", "/contentType", "/"])
        let both = connectorError { () throws(ConnectorError) in
            _ = try OutboundMapping(
                json: #"{"name":"m","events":["order.accepted"],"contentType":"a/b","template":{},"body":"$.x"}"#.bytes,
                source: "m.json"
            )
        }
        #expect(both?.errors == [.init(field: "/body", reason: #"give either "template" or "body", not both"#)])
        let renamed = connectorError { () throws(ConnectorError) in
            _ = try OutboundMapping(
                json: #"{"name":"other","events":["order.accepted"],"contentType":"a/b","template":{}}"#.bytes,
                source: "m.json",
                expectedName: "m"
            )
        }
        #expect(renamed?.errors.first?.field == "/name")
        let notJSON = connectorError { () throws(ConnectorError) in _ = try OutboundMapping(json: #"{"name":"m",}"#.bytes, source: "m.json") }
        #expect(notJSON?.message == "m.json#/: invalid JSON at byte 12: expected a member name")
    }

    @Test("a directory adds mappings; a name defined twice is an error")
    func catalogDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "mappings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let extra = #"{"name":"partner-x","events":["invoice.posted"],"contentType":"application/json","template":{"n":"$.data.number"}}"#
        try Data(extra.utf8).write(to: directory.appending(path: "partner-x.json"))
        try Data("ignored".utf8).write(to: directory.appending(path: "README.txt"))
        let catalog = try MappingCatalog.load(directory: directory)
        let bundledCount = try MappingCatalog.bundled().count
        #expect(catalog.names.contains("partner-x") && catalog.names.count == bundledCount + 1)
        #expect(catalog.mappings(for: "invoice.posted").map(\.name) == ["partner-x", "sandbox-erp-invoice"])

        let shadow = extra.replacingOccurrences(of: "partner-x", with: "sandbox-erp-invoice")
        try Data(shadow.utf8).write(to: directory.appending(path: "sandbox-erp-invoice.json"))
        let error = connectorError { () throws(ConnectorError) in _ = try MappingCatalog.load(directory: directory) }
        #expect(error?.code == "invalid_mapping")
        #expect(error?.message.contains("mapping sandbox-erp-invoice is also defined by Bundled/sandbox-erp-invoice.json") == true)
    }
}
