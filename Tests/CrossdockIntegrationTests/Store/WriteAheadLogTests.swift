import Foundation
import GRDB
import Logging
import Testing

@testable import CrossdockStore

/// The SQLite write-ahead log stays bounded under steady writes while readers keep taking snapshots: passive
/// checkpoints never restart it, so the writer restarts it between batches once it holds 48 MiB of frames
/// (``GroupCommitWriter/requestRestart()``). Before, it only grew (2.2 GB after a minute of intake).
@Suite struct WriteAheadLogTests {
    @Test func theLogStaysBoundedWhileReadersKeepReading() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-wal-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path, logger: Logger(label: "test"))
        let chunk = 512 << 10
        let commits = 400  // 200 MiB of blobs, each page of them logged once at least
        let largest = try await store.withRunning {
            try await store.writer.write { db in try db.execute(sql: "CREATE TABLE wal_test(id INTEGER PRIMARY KEY, x BLOB)") }
            return try await withThrowingTaskGroup(of: Int.self) { group in
                // Readers that always hold a snapshot, as a busy hub's do.
                for _ in 0..<2 {
                    group.addTask {
                        while !Task.isCancelled {
                            _ = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM wal_test") }
                        }
                        return 0
                    }
                }
                var largest = 0
                for index in 0..<commits {
                    let blob = Data(repeating: UInt8(index % 251), count: chunk)
                    try await store.writer.write { db in
                        try db.execute(sql: "INSERT OR REPLACE INTO wal_test(id, x) VALUES (?, ?)", arguments: [index % 8, blob])
                    }
                    let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
                    largest = max(largest, size)
                }
                group.cancelAll()
                return largest
            }
        }
        #expect(largest > 0)
        #expect(largest < 128 << 20, "the log reached \(largest >> 20) MiB after \((commits * chunk) >> 20) MiB of writes")
    }
}
