import CrossdockDomain
import CrossdockEDI
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Mutated interchanges posted to `POST /v1/inbound/edi`: never a server error, always a precise answer, and a
/// rejected interchange or set books nothing.
@Suite("Inbound X12 fuzz")
struct EDIFuzzRouteTests {
    @Test("300 mutated 850 interchanges: each answered by a 997, a TA1 or a problem; rejected ones book nothing")
    func mutations() async throws {
        try await withHub { client, database, key in
            try await EDIRouteTests.register(client, key: key)
            let original = Array(
                X12Fixtures.interchange(
                    control: 500,
                    sets: [
                        (
                            "850",
                            X12Fixtures.purchaseOrder("PO-FZ", lines: [("SKU-0005", 2, "10.47"), ("UP:000123400006", 1, "11.84")], shipTo: "ST-1-1")
                        )
                    ]
                ).utf8
            )
            var random = SplitMix64(seed: 0x5EED)
            let alphabet = Array("*~>^:0123456789ABCDEFZ \n".utf8)
            for round in 0..<300 {
                var bytes = original
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
                    }
                }
                // A fresh ISA13 each round, so no answer is a replay of an earlier one.
                let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "000000500", with: String(format: "%09d", 1000 + round))
                let before = try await database.store.rowCounts()["orders"] ?? 0
                let response = try await EDIRouteTests.post(client, text, key: key)
                #expect([200, 400, 404, 422].contains(Int(response.status.code)), "round \(round): \(response.status) \(response.text)")
                let after = try await database.store.rowCounts()["orders"] ?? 0
                if response.status != .ok || response.text.contains("AK9*R") || response.text.contains("*R*0") {
                    #expect(after == before, "round \(round) was refused but booked an order: \(response.text)")
                } else {
                    #expect(response.text.contains("AK9*") || response.text.contains("TA1*"), "round \(round): \(response.text)")
                }
                if response.status == .ok { _ = try X12Parser.parse(response.text) }  // every reply is valid X12
            }
        }
    }
}
