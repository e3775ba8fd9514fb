import CrossdockDomain
import Foundation
import GRDB
import Logging

/// Copies the write-ahead log back into the database file off the write path.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, so that commit, and with
/// group commit every request in its batch, waits for the whole copy and its fsync (hundreds of milliseconds on a
/// large log). The writer connection therefore has `wal_autocheckpoint` off, and this loop runs PASSIVE
/// checkpoints on its own connection, which never blocks the writer or the readers. A passive checkpoint never
/// restarts the log, so when the log holds more than `restartBytes` of frames the loop asks the writer to restart it
/// between two batches (``GroupCommitWriter/requestRestart()``).
final class Checkpointer: Sendable {
    private let queue: DatabaseQueue
    private let walPath: String
    private let thresholdBytes: Int
    /// A log larger than this is restarted by the writer (``GroupCommitWriter/requestRestart()``).
    private let restartBytes: Int
    private let writer: GroupCommitWriter
    private let pageSize: Int
    private let logger: Logger

    init(path: String, writer: GroupCommitWriter, thresholdBytes: Int = 4 << 20, restartBytes: Int = 48 << 20, logger: Logger) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        pageSize = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        walPath = path + "-wal"
        self.thresholdBytes = thresholdBytes
        self.restartBytes = restartBytes
        self.writer = writer
        self.logger = logger
    }

    /// Checks the log every 200 ms until cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                return
            }
            await checkpointIfNeeded()
        }
    }

    /// Runs a passive checkpoint when the log has grown past the threshold.
    func checkpointIfNeeded() async {
        let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
        guard size > thresholdBytes else { return }
        do {
            let start = ContinuousClock.now
            let result = try await queue.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            let took = ContinuousClock.now - start
            // The frames written since the log last restarted (the file itself keeps its largest size).
            if result.walFrameCount * pageSize > restartBytes { writer.requestRestart() }
            if took > GroupCommitWriter.slow {
                logger.warning(
                    "slow SQLite checkpoint",
                    metadata: [
                        "crossdock.wal_bytes": "\(size)",
                        "crossdock.frames": "\(result.walFrameCount)",
                        "crossdock.checkpointed": "\(result.checkpointedFrameCount)",
                        "crossdock.ms": "\(took.milliseconds)",
                    ]
                )
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // The writer is restarting the log (its own checkpoint): nothing to do until the next round.
        } catch {
            logger.warning("checkpoint failed; will retry", metadata: [LogKey.error: "\(error)"])
        }
    }
}
