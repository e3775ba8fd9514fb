import CrossdockDomain
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Listens on a dedicated connection: `crossdock_events` wakes this node's readers when any node commits events;
    /// `crossdock_cache` empties its caches when any node changes master data or keys. Reconnects with a pause after a
    /// failure; while disconnected (and on reconnecting, since notifications may have been missed) caches are emptied
    /// and readers fall back to polling.
    func listen() async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try configuration.connectionConfiguration(),
                    id: 1,
                    logger: logger
                )
                listening.store(true, ordering: .relaxed)
                unreachable.store(false, ordering: .relaxed)
                cache.invalidate()
                signal.wakeAll()
                do {
                    // Notification sequences do not end on cancellation: closing the connection ends them.
                    try await withTaskCancellationHandler {
                        try await self.consumeNotifications(connection)
                    } onCancel: {
                        connection.closeNow()
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("notification listener lost its connection", metadata: [LogKey.error: "\(error)"]) }
                }
                listening.store(false, ordering: .relaxed)
                try? await connection.close()
            } catch {
                listening.store(false, ordering: .relaxed)
                if !Task.isCancelled {
                    unreachable.store(true, ordering: .relaxed)
                    logger.debug("notification listener cannot connect", metadata: [LogKey.error: "\(error)"])
                }
            }
            cache.invalidate()
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Applies `crossdock_events` and `crossdock_cache` notifications until the connection ends.
    private func consumeNotifications(_ connection: PostgresConnection) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await connection.listen(on: "crossdock_events") { notifications in
                    for try await notification in notifications {
                        if let sequence = Int64(notification.payload) { self.signal.publish(sequence) }
                    }
                }
            }
            group.addTask {
                try await connection.listen(on: "crossdock_cache") { notifications in
                    for try await _ in notifications { self.cache.invalidate() }
                }
            }
            // One ended: end the other too (its sequence ends with the connection).
            defer { connection.closeNow() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Checks `hub_state` every ``Configuration/cacheCheckInterval``: when the master-data version moved and no
    /// notification said so, the cache is emptied anyway. This bounds a stale cache to one interval.
    func pollVersions() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.cacheCheckInterval)
            guard
                let row = try? await withConnection(
                    timeout: .seconds(1),
                    { connection in
                        try await connection.rows("SELECT master_version, keys_version FROM hub_state WHERE id = 1").first?.decode(
                            (Int64, Int64).self
                        )
                    }
                )
            else { continue }
            let changed = versions.withLock { seen -> Bool in
                defer { seen = (row.0, row.1) }
                return seen.master != row.0
            }
            if changed { cache.invalidate() }
        }
    }
}

extension PostgresConnection {
    /// Starts closing the connection without waiting (for cancellation handlers and `defer`).
    func closeNow() {
        let future: EventLoopFuture<Void> = close()
        future.whenComplete { _ in }
    }
}
