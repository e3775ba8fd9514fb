import Foundation
import GRDB
import Logging
import Testing

@testable import CrossdockStore

/// Each write of a group commit runs in its own savepoint, whose journal (the old pages it changed) is kept in memory
/// except in a batch that holds a large write. Either way a write that fails rolls back alone.
@Suite struct SavepointJournalTests {
    private func withStore(_ body: @escaping @Sendable (SQLiteStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-sp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: Logger(label: "test"))
        try await store.withRunning {
            // 400 rows of 1 KiB: a write that touches them all journals about 100 pages, past SQLite's 64 KiB.
            try await store.writer.write { db in
                try db.execute(sql: "CREATE TABLE journal_test(id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, x BLOB NOT NULL)")
                for id in 0..<400 {
                    try db.execute(sql: "INSERT INTO journal_test(id, owner, x) VALUES (?, 0, ?)", arguments: [id, Data(count: 1024)])
                }
            }
            try await body(store)
        }
    }

    private struct Refused: Error {}

    @Test func aFailedWriteRollsBackAloneWhileItsBatchCommits() async throws {
        try await withStore { store in
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for writer in 1...16 {
                    group.addTask {
                        do {
                            try await store.writer.write { db in
                                try db.execute(
                                    sql: "UPDATE journal_test SET owner = ?, x = zeroblob(1000 + ?) WHERE id < 400",
                                    arguments: [writer, writer]
                                )
                                try db.execute(
                                    sql: "INSERT INTO journal_test(id, owner, x) VALUES (?, ?, x'00')",
                                    arguments: [1000 + writer, writer]
                                )
                                if writer.isMultiple(of: 2) { throw Refused() }
                            }
                            return (writer, true)
                        } catch is Refused {
                            return (writer, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let (owners, inserted) = try await store.pool.read { db in
                (
                    try Int.fetchSet(db, sql: "SELECT DISTINCT owner FROM journal_test WHERE id < 400"),
                    try Int.fetchSet(db, sql: "SELECT id - 1000 FROM journal_test WHERE id >= 1000")
                )
            }
            let committed = Set(outcomes.filter(\.value).keys)
            #expect(committed == Set(stride(from: 1, through: 15, by: 2)))
            // Every row was last updated by one committed write, and only committed writes inserted.
            #expect(owners.count == 1)
            #expect(owners.isSubset(of: committed))
            #expect(inserted == committed)
        }
    }

    @Test func aLargeWriteJournalsToAFileAndTheNextBatchToMemory() async throws {
        try await withStore { store in
            let large = try await store.writer.write(large: true) { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
            do {
                try await store.writer.write(large: true) { db in
                    try db.execute(sql: "UPDATE journal_test SET owner = 99")
                    throw Refused()
                }
                Issue.record("the refused write committed")
            } catch is Refused {}
            let normal = try await store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
            let touched = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal_test WHERE owner = 99") }
            #expect(large == 1)  // FILE
            #expect(normal == 2)  // MEMORY
            #expect(touched == 0)
        }
    }
}
