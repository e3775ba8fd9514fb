import ArgumentParser
import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import NIOHTTP1

/// `crossdock bench --edi`: what reading X12 costs, and EDI intake against JSON intake on the same hub.
struct EDIBenchOptions: ParsableArguments {
    @Flag(help: "Measure X12: reading 850 interchanges, then 850 intake over HTTP against JSON intake (same hub, same run).")
    var edi = false
    @Option(help: "Purchase orders per interchange for --edi.")
    var posPerInterchange: Int = 20
}

extension Bench {
    /// The buyer's side of the bench: a partner profile seen from the sending translator (ids swapped).
    static let benchPartner = TradingPartner(
        id: "bench-edi",
        name: "Bench Buyer",
        customerID: "CUST-001",
        isaID: "BENCHBUYER",
        gsCode: "BENCHBUYER",
        ourISAID: "CROSSDOCK",
        ourGSCode: "CROSSDOCK"
    )

    func runEDI() async throws {
        let logger = Logger(label: "crossdock.bench")
        let level = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.max() ?? 16
        let catalog = Catalog(scarce: 0, abundant: 10_000_000)
        let per = max(1, edi.posPerInterchange)
        let interchanges = max(1, orders / per)
        var sender = Self.benchPartner
        (sender.isaID, sender.ourISAID, sender.gsCode, sender.ourGSCode) = ("CROSSDOCK", "BENCHBUYER", "CROSSDOCK", "BENCHBUYER")
        let gtins = Dictionary(catalog.products.compactMap { product in product.gtin.map { (product.sku, $0) } }, uniquingKeysWith: { a, _ in a })
        var texts: [String] = []
        let requests = catalog.orders(count: interchanges * per, seed: 7, channel: "edi", scarceBias: 0)
        for index in 0..<interchanges {
            let sets = requests[index * per..<(index + 1) * per].enumerated().map { offset, request in
                var request = request
                request.customerID = "CUST-001"
                request.shipToCode = "ST-1-1"
                request.customerPO = "BENCH-\(index)-\(offset)"
                return PurchaseOrder(request, partner: Self.benchPartner, date: "20261127") { gtins[$0] }.transactionSet()
            }
            var interchange = sender.interchange(functionalID: "PO", sets: sets, at: Date())
            interchange.header.controlNumber = index + 1
            interchange.groups[0].controlNumber = index + 1
            texts.append(try sender.serializer.serialize(interchange))
        }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let payloads = texts
        // 1. Reading: envelope only, then envelope + every 850 through its schema and syntax notes.
        var start = ContinuousClock.now
        for text in texts { _ = try X12Parser.parse(text) }
        let envelope = LoadDriverSeconds.of(ContinuousClock.now - start)
        start = ContinuousClock.now
        var accepted = 0
        for text in texts { accepted += InboundInterchange.read(text).acceptedDocuments.count }
        let full = LoadDriverSeconds.of(ContinuousClock.now - start)
        print(
            String(
                format:
                    "x12 read: %d interchanges, %d 850s, %.1f MB: envelope only %.0f sets/s (%.1f MB/s); with 850 schema and syntax notes %.0f sets/s (%.1f MB/s), %d accepted",
                texts.count,
                requests.count,
                Double(bytes) / 1e6,
                Double(requests.count) / envelope,
                Double(bytes) / 1e6 / envelope,
                Double(requests.count) / full,
                Double(bytes) / 1e6 / full,
                accepted
            )
        )
        // 2. Intake over HTTP: the same orders as 850s and as JSON, on one hub, at the same concurrency.
        try await withTemporaryDirectory { directory in
            try await LocalHub.with(directory: directory, configuration: Hub.Configuration(), logger: logger) { hub in
                let admin = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
                try await catalog.seed(admin) { _ in }
                var profile = try JSONEncoder().encode(Self.benchPartner)
                profile = Data(
                    String(decoding: profile, as: UTF8.self).replacingOccurrences(of: "{", with: #"{"kind":"x12","#, options: [], range: nil).utf8
                )
                let put = try await admin.send(.PUT, "/v1/partners/bench-edi", body: Array(profile))
                guard put.status == 200 else { throw ValidationError("partner refused: \(put.text)") }
                let ediStart = ContinuousClock.now
                let statuses = await Self.post(payloads, to: admin, concurrency: level)
                let ediSeconds = LoadDriverSeconds.of(ContinuousClock.now - ediStart)
                let booked = try await hub.store.orderCounts().values.reduce(0, +)
                let json = catalog.orders(count: requests.count, seed: 8, channel: "bench-json", scarceBias: 0)
                let result = await LoadDriver(hub: admin).run(json, concurrency: level)
                print(
                    String(
                        format: "x12 intake: %d 850s in %d interchanges, %d at a time: %.0f orders/s (%d orders booked, 997s %@)",
                        requests.count,
                        payloads.count,
                        level,
                        Double(requests.count) / ediSeconds,
                        booked,
                        statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
                    )
                )
                print(
                    String(
                        format: "json intake: %d orders, %d at a time: %.0f orders/s; x12/json = %.2f",
                        json.count,
                        level,
                        result.throughput,
                        Double(requests.count) / ediSeconds / result.throughput
                    )
                )
            }
        }
    }

    /// Posts each interchange (at most `concurrency` at once); returns the 997 AK9 codes seen.
    static func post(_ texts: [String], to hub: HubClient, concurrency: Int) async -> [String: Int] {
        await withTaskGroup(of: String.self) { group in
            var statuses: [String: Int] = [:]
            var next = 0
            func add() {
                let text = texts[next]
                next += 1
                group.addTask {
                    guard let answer = try? await hub.sendRaw(.POST, "/v1/inbound/edi", body: Array(text.utf8), contentType: "application/edi-x12")
                    else {
                        return "transport error"
                    }
                    guard answer.status == 200, let range = answer.text.range(of: "AK9*") else { return "HTTP \(answer.status)" }
                    return "AK9 " + String(answer.text[range.upperBound...].prefix(1))
                }
            }
            for _ in 0..<min(concurrency, texts.count) { add() }
            while let status = await group.next() {
                statuses[status, default: 0] += 1
                if next < texts.count { add() }
            }
            return statuses
        }
    }
}
