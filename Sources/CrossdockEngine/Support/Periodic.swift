import CrossdockDomain
import Logging
import ServiceLifecycle

/// Runs `step` every `interval` until graceful shutdown, which cancels the wait rather than sitting it out. A failed
/// step is logged as `failure` and retried at the next tick; cancellation ends the loop.
func runPeriodically(every interval: Duration, logger: Logger, failure: Logger.Message, _ step: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await step()
            } catch is CancellationError {
                return
            } catch {
                logger.error(failure, metadata: [LogKey.error: "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
