import AsyncHTTPClient
import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// `serve --otel-endpoint`: the hub's spans reach an OTLP/HTTP collector; a request's `traceparent` is the parent of
/// the hub's span for it; the events it appends keep that trace context, so the webhooks they cause continue the same
/// trace (their `traceparent` names a span exported under the delivery attempt's) and the order's trace page names it;
/// JSON log lines carry the trace id of the span they were written in.
@Suite struct TraceExportTests {
    /// One span as the collector received it (ids in hex).
    struct Span: Sendable {
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var name: String
        var kind: Int
    }

    /// A small OTLP/HTTP collector on loopback: records the spans of every `POST /v1/traces` (OTLP JSON).
    final class Collector: Sendable {
        private let state = Mutex<(spans: [Span], requests: Int, contentTypes: Set<String>)>(([], 0, []))
        var spans: [Span] { state.withLock { $0.spans } }
        var contentTypes: Set<String> { state.withLock { $0.contentTypes } }

        func application(onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
            let router = Router()
            router.post("/v1/traces") { request, _ -> Response in
                let body = Data(try await request.body.collect(upTo: 16 << 20).readableBytesView)
                let spans = Self.spans(in: body)
                self.state.withLock { state in
                    state.requests += 1
                    state.contentTypes.insert(request.headers[.contentType] ?? "")
                    state.spans += spans
                }
                // An ExportTraceServiceResponse with nothing rejected, as a collector answers.
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
            return Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { onListening($0.localAddress?.port ?? 0) },
                logger: Logger(label: "collector")
            )
        }

        /// The spans of an OTLP JSON export request (`resourceSpans[].scopeSpans[].spans[]`); the ids are base64 there,
        /// as protobuf's JSON mapping writes bytes.
        static func spans(in body: Data) -> [Span] {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
            func hex(_ value: Any?) -> String {
                guard let text = value as? String, let bytes = Data(base64Encoded: text) else { return "" }
                return bytes.map { String(format: "%02x", $0) }.joined()
            }
            var result: [Span] = []
            for resource in object["resourceSpans"] as? [[String: Any]] ?? [] {
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        result.append(
                            Span(
                                traceID: hex(span["traceId"]),
                                spanID: hex(span["spanId"]),
                                parentSpanID: hex(span["parentSpanId"]),
                                name: span["name"] as? String ?? "",
                                kind: span["kind"] as? Int ?? 0
                            )
                        )
                    }
                }
            }
            return result
        }
    }

    struct NewSubscription: Encodable {
        var url: String
        var eventTypes: [String]
        var secret: String
    }

    @Test func aRequestsSpanHasItsCallerAsParentAndAWebhookCarriesItsExportedSpan() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let collector = Collector()
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        let port = PortPromise()
        try await withRunningServices([collector.application { port.fulfil($0) }], logger: Logger(label: "collector")) {
            guard let collectorPort = await port.value() else { throw TestFailure("the collector did not start") }
            try await withReceiver(receiver) { url in
                // OTLP JSON, so the test can read the spans; the hub's default is protobuf. Batches leave every 100 ms.
                let node = try await HubProcess(
                    database: database.url,
                    arguments: ["--otel-endpoint", "http://127.0.0.1:\(collectorPort)", "--log-format", "json", "--log-level", "debug"],
                    environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "100"]
                )
                let key = try #require(node.bootstrapKey)
                let hub = HubClient(baseURL: node.baseURL, apiKey: key)
                let catalog = Catalog()
                try await catalog.seed(hub)
                try await hub.expectSuccess(
                    .POST,
                    "/v1/subscriptions",
                    json: NewSubscription(url: url, eventTypes: ["order.received"], secret: receiver.secret)
                )
                // The caller's trace: 16 random bytes of trace id, 8 of span id, sampled.
                let traceID = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
                let callerSpan = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
                var request = HTTPClientRequest(url: node.baseURL + "/v1/orders")
                request.method = .POST
                request.headers.add(name: "authorization", value: "Bearer \(key)")
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "traceparent", value: "00-\(traceID)-\(callerSpan)-01")
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(catalog.orders(count: 1, seed: 7, scarceBias: 0)[0])))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 201)
                let created = try JSONSerialization.jsonObject(with: Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
                let orderID = try #require((created as? [String: Any])?["id"] as? String)

                let delivered = try await eventually(timeout: .seconds(30)) { receiver.receipts.contains { $0.traceparent != nil } }
                try #require(delivered, "the order.received webhook arrived with a traceparent")
                let header = try #require(receiver.receipts.compactMap(\.traceparent).first)
                let parts = header.split(separator: "-").map(String.init)
                try #require(parts.count == 4 && parts[0] == "00" && parts[1].count == 32 && parts[2].count == 16, "W3C traceparent: \(header)")
                #expect(parts[1] == traceID, "the delivery continues the trace of the request that appended the event")
                let body = try #require(receiver.receipts.first { $0.traceparent != nil }?.body)
                let event = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
                #expect(
                    (event["traceparent"] as? String)?.split(separator: "-").dropFirst().first.map(String.init) == traceID,
                    "the CloudEvent carries it"
                )

                // A parent span ends (and is exported) after its children: wait for the delivery attempt's too.
                let exported = try await eventually(timeout: .seconds(30)) {
                    let spans = collector.spans
                    guard let client = spans.first(where: { $0.traceID == parts[1] && $0.spanID == parts[2] }) else { return false }
                    return spans.contains { $0.traceID == traceID && $0.parentSpanID == callerSpan }
                        && spans.contains { $0.spanID == client.parentSpanID }
                }
                #expect(exported, "spans exported: \(collector.spans.map { "\($0.name) \($0.traceID)/\($0.spanID)←\($0.parentSpanID)" })")
                let request_ = collector.spans.first { $0.traceID == traceID && $0.parentSpanID == callerSpan }
                #expect(request_?.kind == 2, "the request's span is a server span (\(request_?.name ?? "none"))")
                // The webhook's parent is the HTTP client's span (AsyncHTTPClient injects its traceparent), a child of
                // the delivery attempt's span.
                let client = collector.spans.first { $0.traceID == parts[1] && $0.spanID == parts[2] }
                #expect(client?.kind == 3, "the webhook's parent is a client span (\(client?.name ?? "none"))")
                let attempt = collector.spans.first { $0.traceID == parts[1] && $0.spanID == client?.parentSpanID }
                #expect(attempt?.name == "webhook.deliver", "the client span belongs to the delivery attempt")
                // The order's trace page names the trace.
                let trace = try await hub.send(.GET, "/v1/orders/\(orderID)/trace")
                let page = try #require(try JSONSerialization.jsonObject(with: Data(trace.body)) as? [String: Any])
                #expect(page["traceId"] as? String == traceID)
                let steps = page["steps"] as? [[String: Any]] ?? []
                #expect(steps.contains { $0["kind"] as? String == "order.received" && $0["traceId"] as? String == traceID })
                #expect(steps.contains { $0["kind"] as? String == "delivery" && $0["traceId"] as? String == traceID })
                try await node.stop(SIGTERM)
                for name in ["order.submit", "store.commit"] {
                    #expect(collector.spans.contains { $0.traceID == traceID && $0.name == name }, "\(name) is in the caller's trace")
                }
                #expect(collector.contentTypes == ["application/json"])
                // JSON log lines written inside the request's span carry its trace id.
                let lines = try String(contentsOf: node.output, encoding: .utf8).split(separator: "\n")
                let logged = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                #expect(!logged.isEmpty, "the hub logs JSON lines")
                #expect(logged.contains { $0["trace_id"] as? String == traceID && $0["span_id"] != nil }, "a log line of the request names its trace")
            }
        }
    }
}
