import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1
import Testing

/// Documents for a trading partner travel as webhooks to its endpoint: a partner that is down gets them once it is
/// back, each once, as raw X12 signed with the partner's secret.
@Suite("X12 document delivery")
struct EDIDeliveryTests {
    @Test("an 855 waits out the partner's outage and arrives once, as signed raw X12")
    func outageQueuesDocuments() async throws {
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                var profile = X12Fixtures.profile(endpoint: url)
                profile.removeLast()
                profile += #","endpointSecret":"\#(receiver.secret)"}"#
                try await hub.expectSuccess(.PUT, "/v1/partners/acme", json: try JSONDecoder().decode(JSONValue.self, from: Data(profile.utf8)))
                let po = X12Fixtures.purchaseOrder("PO-OUT-1", lines: [("SKU-0005", 2, "10.47")], shipTo: "ST-1-1")
                let answer = try await hub.sendRaw(
                    .POST,
                    "/v1/inbound/edi",
                    body: Array(X12Fixtures.interchange(control: 900, sets: [("850", po)]).utf8),
                    contentType: "application/edi-x12"
                )
                #expect(answer.status == 200, "\(answer.text)")
                // The partner is down: attempts fail and the document waits.
                #expect(try await eventually(timeout: .seconds(20)) { receiver.receipts.count >= 3 })
                #expect(receiver.applied.isEmpty)
                receiver.mode = .accept(delay: .zero)
                #expect(try await eventually(timeout: .seconds(30)) { !receiver.applied.isEmpty })
                try await Task.sleep(for: .milliseconds(500))
                let accepted = receiver.receipts.filter(\.accepted)
                #expect(accepted.count == 1, "one 855, delivered once")
                let delivered = try #require(accepted.first)
                #expect(delivered.signatureValid)
                let text = String(decoding: delivered.body, as: UTF8.self)
                let interchange = try X12Parser.parse(text)
                #expect(interchange.header.receiverID == X12Fixtures.partnerID)
                let set = try #require(interchange.transactionSets.first)
                #expect(set.id == "855")
                #expect(try PurchaseOrderAcknowledgment.decode(set).purchaseOrderNumber == "PO-OUT-1")
                let orderID = try #require(try await database.store.orderID(channel: "edi", externalID: "acme:PO-OUT-1"))
                let sent = try await database.store.ediDocuments(orderID: orderID).filter { $0.direction == .outbound }
                #expect(sent.count == 1)
                #expect(try await database.store.ediInterchange(try #require(sent.first).interchangeID)?.text == text)
            }
        }
    }
}
