import Logging
import ServiceLifecycle
import UnixSignals

/// A port a server reports once it listens (pass ``fulfil(_:)`` to its `onServerRunning`).
public final class PortPromise: Sendable {
    private let stream: AsyncStream<Int>
    private let sink: AsyncStream<Int>.Continuation

    /// Creates an unfulfilled promise.
    public init() {
        (stream, sink) = AsyncStream.makeStream(of: Int.self)
    }

    /// Records the port.
    public func fulfil(_ port: Int) {
        sink.yield(port)
        sink.finish()
    }

    /// The port, or nil when the server stopped before listening.
    public func value() async -> Int? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}

/// Runs `services` in one ServiceGroup for the duration of `body`, then shuts them down gracefully (in reverse
/// order) and waits for them, also when `body` throws.
/// - Parameters:
///   - services: the services, in start order.
///   - signals: signals that also trigger graceful shutdown.
///   - logger: the group's logger.
///   - body: runs while the services run.
public func withRunningServices<T: Sendable>(
    _ services: [any Service],
    signals: [UnixSignal] = [],
    logger: Logger,
    _ body: @Sendable () async throws -> T
) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
