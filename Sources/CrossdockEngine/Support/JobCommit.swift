import CrossdockDomain
import CrossdockStore
import Logging

/// Commits one change of a scheduled job (the watchdogs, the alert job). A guard lost to a concurrent writer is logged
/// at debug and left to the job's next run, which reads again; a failed write is logged as a warning and also left to
/// the next run; cancellation ends the run. True when the change was written.
func commitJobChange(_ unit: UnitOfWork, store: any Store, logger: Logger, job: String, subject: String) async throws -> Bool {
    do {
        if case .conflict(let conflict) = try await store.commit(unit) {
            logger.debug("\(job) change lost a race", metadata: ["crossdock.subject": "\(subject)", LogKey.error: "\(conflict)"])
            return false
        }
        return true
    } catch is CancellationError {
        throw CancellationError()
    } catch {
        logger.warning("\(job) change not written", metadata: ["crossdock.subject": "\(subject)", LogKey.error: "\(error)"])
        return false
    }
}
