import CrossdockDomain
import Foundation
import NIOHTTP1
import Synchronization

/// Submits orders to a hub with bounded concurrency and measures each request's latency.
public struct LoadDriver: Sendable {
    /// The outcome of a run.
    public struct Result: Sendable {
        /// Latency of each answered request, in seconds.
        public var latencies: [Double]
        /// Count by HTTP status.
        public var statuses: [Int: Int]
        /// Transport failures.
        public var errors: Int
        /// Wall time of the run, in seconds.
        public var elapsed: Double
        /// Ids of created orders.
        public var orderIDs: [String]

        /// Requests per second.
        public var throughput: Double { Double(latencies.count) / max(elapsed, 1e-9) }
    }

    let hubs: [HubClient]

    /// Creates a driver.
    public init(hub: HubClient) { self.hubs = [hub] }

    /// A driver that spreads its workers over several hub nodes (worker `i` talks to node `i % count`).
    public init(hubs: [HubClient]) {
        precondition(!hubs.isEmpty, "at least one hub")
        self.hubs = hubs
    }

    /// Posts every order (each with its own `Idempotency-Key`), `concurrency` at a time.
    /// - Parameter progress: called about once a second with (done, total).
    public func run(_ orders: [OrderRequest], concurrency: Int, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async -> Result {
        let encoder = JSONCoding.encoder()
        let bodies = orders.map { Array(try! encoder.encode($0)) }
        let counters = Counters()
        let next = counters
        let done = counters
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while done.done.load(ordering: .relaxed) < orders.count {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { return }
                    progress(done.done.load(ordering: .relaxed), orders.count)
                }
            }
            await withTaskGroup(of: Void.self) { workers in
                for worker in 0..<max(1, concurrency) {
                    let hub = hubs[worker % hubs.count]
                    workers.addTask {
                        while true {
                            let index = next.next.add(1, ordering: .relaxed).oldValue
                            guard index < orders.count else { return }
                            let began = ContinuousClock.now
                            do {
                                let answer = try await hub.send(
                                    .POST,
                                    "/v1/orders",
                                    body: bodies[index],
                                    idempotencyKey: "load-\(orders[index].channel)-\(orders[index].externalID)"
                                )
                                let seconds = Self.seconds(ContinuousClock.now - began)
                                let id = answer.status == 201 ? (try? JSONDecoder().decode(IDOnly.self, from: Data(answer.body)))?.id : nil
                                counters.result.withLock { result in
                                    result.latencies.append(seconds)
                                    result.statuses[answer.status, default: 0] += 1
                                    if let id { result.orderIDs.append(id) }
                                }
                            } catch {
                                counters.result.withLock { $0.errors += 1 }
                            }
                            done.done.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            group.cancelAll()
        }
        var result = counters.result.withLock { $0 }
        result.elapsed = Self.seconds(ContinuousClock.now - start)
        progress(orders.count, orders.count)
        return result
    }

    private struct IDOnly: Decodable { var id: String }

    private final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let result = Mutex(Result(latencies: [], statuses: [:], errors: 0, elapsed: 0, orderIDs: []))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Percentiles of a sample (nearest-rank).
public enum Percentiles {
    /// The `p`-th percentile (0…100) of `values`, or 0 when empty.
    public static func of(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank - 1, 0), sorted.count - 1)]
    }
}
