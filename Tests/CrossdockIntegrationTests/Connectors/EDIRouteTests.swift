import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/inbound/edi`: an 850 from a trading partner becomes an order answered by a 997 and an 855; broken X12
/// is answered precisely and changes nothing; the same interchange twice is answered once.
@Suite("Inbound X12")
struct EDIRouteTests {
    static let edi: HTTPFields = [.contentType: "application/edi-x12"]

    /// Registers the `acme` partner and returns nothing; fails the test on refusal.
    static func register(_ client: some TestClientProtocol, key: String, profile: String = X12Fixtures.profile()) async throws {
        let response = try await client.send(.put, "/v1/partners/acme", key: key, json: profile)
        try #require(response.status == .ok, "\(response.text)")
    }

    static func post(_ client: some TestClientProtocol, _ text: String, key: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/inbound/edi",
            method: .post,
            headers: [.authorization: "Bearer \(key)", .contentType: "application/edi-x12"],
            body: ByteBuffer(string: text)
        )
    }

    @Test("an 850 becomes an order, answered by an accepting 997 and an 855 per line")
    func purchaseOrderBooked() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            let po = X12Fixtures.purchaseOrder("PO-7781", lines: [("SKU-0005", 3, "10.47"), ("UP:000123400006", 2, "11.84")], shipTo: "ST-1-1")
            let response = try await Self.post(client, X12Fixtures.interchange(control: 101, sets: [("850", po)]), key: key)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType] == "application/edi-x12")
            let ack = try X12Parser.parse(response.text)
            #expect(ack.header.receiverID == X12Fixtures.partnerID)
            #expect(ack.groups.first?.functionalIdentifierCode == "FA")
            let segments = ack.transactionSets.first?.segments.map(\.id) ?? []
            #expect(segments == ["AK1", "AK2", "AK5", "AK9"], "\(response.text)")
            #expect(response.text.contains("AK1*PO*101") && response.text.contains("AK5*A") && response.text.contains("AK9*A*1*1*1"))

            let orderID = try #require(try await database.store.orderID(channel: "edi", externalID: "acme:PO-7781"))
            let order = try #require(try await database.store.order(orderID))
            #expect(order.customerID == "CUST-001")
            #expect(order.customerPO == "PO-7781")
            #expect(order.lines.map(\.sku) == ["SKU-0005", "SKU-0006"])
            #expect(order.lines.map(\.quantity) == [3, 2])
            #expect(order.lines.map(\.unitPrice.minorUnits) == [1047, 1184])

            let documents = try await database.store.ediDocuments(orderID: orderID)
            #expect(documents.map(\.transactionSet) == ["855", "850"] || documents.map(\.transactionSet) == ["850", "855"])
            let outbound = try #require(documents.first { $0.direction == .outbound })
            #expect(outbound.status == "sent")
            let text = try #require(try await database.store.ediInterchange(outbound.interchangeID)?.text)
            let set = try #require(try X12Parser.parse(text).transactionSets.first)
            let acknowledgment = try PurchaseOrderAcknowledgment.decode(set)
            #expect(acknowledgment.status == "AT")
            #expect(acknowledgment.purchaseOrderNumber == "PO-7781")
            #expect(acknowledgment.lines.flatMap(\.statuses).map(\.code) == ["IA", "IA"])
            try ExternalValidators.expectValid(text, "855")
            try ExternalValidators.expectValid(response.text, "997")

            // The order's trace shows the interchange that carried its 850 as its inbound message.
            let trace = try await client.send(.get, "/v1/orders/\(orderID)/trace", key: key).json()
            let message = try #require(trace["inboundMessages"]?[0], "\(trace)")
            #expect(message["channel"]?.stringValue == "edi")
            #expect(message["partner"]?.stringValue == "acme")
            #expect(message["messageId"]?.stringValue == "101")
            #expect(message["contentType"]?.stringValue == "application/edi-x12")
            #expect(message["body"]?.stringValue?.contains("BEG*00*SA*PO-7781") == true)
            let steps = trace["steps"]?.arrayValue ?? []
            #expect(steps.contains { $0["kind"]?.stringValue == "inbound_message" && $0["system"]?.stringValue == "channel:acme" })
        }
    }

    @Test("a 005010 partner is answered in 005010: AK1 carries the version, ST03 the implementation reference")
    func version005010() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key, profile: X12Fixtures.profile(version: "005010"))
            let po = X12Fixtures.purchaseOrder("PO-5010", lines: [("SKU-0005", 1, "10.47")], shipTo: "ST-1-1")
            let response = try await Self.post(client, X12Fixtures.interchange(control: 150, sets: [("850", po)], version: "005010"), key: key)
            #expect(response.status == .ok, "\(response.text)")
            let ack = try X12Parser.parse(response.text)
            #expect(ack.header.version == "00501")
            #expect(ack.groups.first?.version == "005010")
            #expect(ack.transactionSets.first?.implementationConventionReference == "005010")
            #expect(response.text.contains("AK1*PO*150*005010"), "\(response.text)")
            #expect(response.text.contains("AK9*A*1*1*1"))
            let orderID = try #require(try await database.store.orderID(channel: "edi", externalID: "acme:PO-5010"))
            let outbound = try #require(try await database.store.ediDocuments(orderID: orderID).first { $0.direction == .outbound })
            let text = try #require(try await database.store.ediInterchange(outbound.interchangeID)?.text)
            #expect(try X12Parser.parse(text).groups.first?.version == "005010")
            try ExternalValidators.expectValid(text, "855 (005010)")
            try ExternalValidators.expectValid(response.text, "997 (005010)")
        }
    }

    @Test("a broken envelope is answered by a TA1 R naming why, and books nothing; ISA14 1 gets a TA1 A with the 997")
    func interchangeAcknowledgments() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            let po = X12Fixtures.purchaseOrder("PO-TA1", lines: [("SKU-0005", 1, "10.47")], shipTo: "ST-1-1")
            let broken = X12Fixtures.interchange(control: 160, sets: [("850", po)]).replacingOccurrences(
                of: "IEA*1*000000160",
                with: "IEA*1*000000161"
            )
            let refused = try await Self.post(client, broken, key: key)
            #expect(refused.status == .ok)
            let reply = try X12Parser.parse(refused.text)
            #expect(reply.groups.isEmpty, "no 997 for an interchange that is not read")
            let ta1 = try InterchangeAcknowledgment(try #require(reply.acknowledgments.first))
            #expect(ta1 == InterchangeAcknowledgment(controlNumber: 160, date: "261127", time: "1200", status: "R", note: "001"))
            #expect(try await database.store.rowCounts()["orders"] == 0)
            try ExternalValidators.expectValid(refused.text, "TA1")

            let asked = X12Fixtures.interchange(control: 161, sets: [("850", po)]).replacingOccurrences(
                of: "*00401*000000161*0*P",
                with: "*00401*000000161*1*P"
            )
            let accepted = try await Self.post(client, asked, key: key)
            let both = try X12Parser.parse(accepted.text)
            #expect(try InterchangeAcknowledgment(try #require(both.acknowledgments.first)).status == "A")
            #expect(both.groups.first?.functionalIdentifierCode == "FA")
            #expect(accepted.text.contains("AK9*A*1*1*1"), "\(accepted.text)")
            #expect(try await database.store.rowCounts()["orders"] == 1)
            try ExternalValidators.expectValid(accepted.text, "TA1 + 997")
        }
    }

    @Test("the same interchange twice is answered with the same 997 and books one order")
    func duplicateInterchange() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            let text = X12Fixtures.interchange(
                control: 102,
                sets: [("850", X12Fixtures.purchaseOrder("PO-1", lines: [("SKU-0005", 1, "10.47")], shipTo: "ST-1-1"))]
            )
            let first = try await Self.post(client, text, key: key)
            let second = try await Self.post(client, text, key: key)
            #expect(first.status == .ok && second.status == .ok)
            #expect(first.text == second.text)
            #expect(second.headers[.idempotentReplayed] == "true")
            let counts = try await database.store.rowCounts()
            #expect(counts["orders"] == 1)
        }
    }

    @Test("a syntax-note error rejects the set in the 997 with AK3/AK4 and books nothing")
    func syntaxErrorRejected() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            var po = X12Fixtures.purchaseOrder("PO-2", lines: [("SKU-0005", 1, "10.47")], shipTo: "ST-1-1")
            po[4] = "PO1*1*1*EA*10.47*PE*VP"  // PO106 without PO107 (P0607)
            let response = try await Self.post(client, X12Fixtures.interchange(control: 103, sets: [("850", po)]), key: key)
            #expect(response.status == .ok)
            #expect(response.text.contains("AK3*PO1*6*PO1*8"), "\(response.text)")
            #expect(response.text.contains("AK4*7*234*2"), "\(response.text)")
            #expect(response.text.contains("AK5*R*5") && response.text.contains("AK9*R*1*1*0"))
            #expect(try await database.store.rowCounts()["orders"] == 0)
            let documents = try await database.store.ediDocuments(partnerID: "acme", limit: 10)
            #expect(documents.map(\.status) == ["rejected"])
            try ExternalValidators.expectValid(response.text, "997")
        }
    }

    @Test("an item the hub does not know is answered with an 855 RD, and nothing is booked")
    func unknownItemRejectedBy855() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            let po = X12Fixtures.purchaseOrder("PO-3", lines: [("NOPE-1", 1, "1.00")], shipTo: "ST-1-1")
            let response = try await Self.post(client, X12Fixtures.interchange(control: 104, sets: [("850", po)]), key: key)
            #expect(response.text.contains("AK9*A*1*1*1"), "business refusals are not syntax errors: \(response.text)")
            #expect(try await database.store.rowCounts()["orders"] == 0)
            let documents = try await database.store.ediDocuments(partnerID: "acme", limit: 10)
            let inbound = try #require(documents.first { $0.direction == .inbound })
            #expect(inbound.status == "rejected")
            #expect(inbound.detail?.contains("NOPE-1") == true)
            let outbound = try #require(documents.first { $0.direction == .outbound })
            let text = try #require(try await database.store.ediInterchange(outbound.interchangeID)?.text)
            let acknowledgment = try PurchaseOrderAcknowledgment.decode(try #require(try X12Parser.parse(text).transactionSets.first))
            #expect(acknowledgment.status == "RD")
            #expect(acknowledgment.lines.flatMap(\.statuses).map(\.code) == ["IR"])
            try ExternalValidators.expectValid(text, "855")
        }
    }

    @Test("broken envelopes, unknown senders and wrong keys get problems and change nothing")
    func refusals() async throws {
        try await withHub { client, database, key in
            try await Self.register(client, key: key)
            let garbage = try await Self.post(client, "ISA*00*bad~", key: key)
            let document = try expectProblem(garbage, .badRequest, code: "invalid_interchange")
            #expect(problemFields(document).first?.hasPrefix("segment 1 (ISA)") == true, "\(garbage.text)")

            let stranger = X12Fixtures.interchange(
                control: 1,
                sets: [("850", X12Fixtures.purchaseOrder("PO-9", lines: [("SKU-0005", 1, "10.47")]))],
                sender: "STRANGER"
            )
            try expectProblem(try await Self.post(client, stranger, key: key), .notFound, code: "unknown_partner")

            let bound = try await APIKeys.create(in: database.store, name: "other", scopes: ["orders:write"], partner: "other").1
            let valid = X12Fixtures.interchange(control: 5, sets: [("850", X12Fixtures.purchaseOrder("PO-9", lines: [("SKU-0005", 1, "10.47")]))])
            try expectProblem(try await Self.post(client, valid, key: bound), .forbidden, code: "forbidden_partner")

            let counts = try await database.store.rowCounts()
            #expect(counts["orders"] == 0)
            #expect(try await database.store.ediDocuments(partnerID: "acme", limit: 10).isEmpty)
        }
    }

    @Test("a partner profile with bad fields is refused field by field; secrets are never shown")
    func partnerProfileValidation() async throws {
        try await withHub { client, _, key in
            let bad =
                #"{"kind":"x12","id":"acme","name":"","isaId":"THIS-ID-IS-FAR-TOO-LONG","gsCode":"A","ourIsaId":"HUB","ourGsCode":"HUB","version":"003010","role":"customer"}"#
            let response = try await client.send(.put, "/v1/partners/acme", key: key, json: bad)
            try expectProblem(response, .unprocessableContent, code: "invalid_fields", fields: ["name", "isaId", "gsCode", "version", "customerId"])
            try expectProblem(
                try await client.send(.put, "/v1/partners/x", key: key, json: #"{"kind":"fax"}"#),
                .unprocessableContent,
                code: "invalid_fields"
            )
            let shop =
                #"{"kind":"shopify","id":"shop","shopDomain":"acme.myshopify.com","webhookSecret":"0123456789abcdef0123","defaultCustomerId":"CUST-001"}"#
            #expect(try await client.send(.put, "/v1/partners/shop", key: key, json: shop).status == .ok)
            let read = try await client.send(.get, "/v1/partners/shop", key: key)
            #expect(try read.json()["webhookSecret"]?.stringValue == "***")
            #expect(!read.text.contains("0123456789abcdef0123"))
        }
    }
}
