import Synchronization

/// Wakes the tasks waiting for new events when a commit appends some.
final class EventSignal: Sendable {
    private struct State {
        var latest: Int64 = 0
        var waiters: [Int: (Int64, CheckedContinuation<Void, Never>)] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Records that events up to `sequence` are committed and wakes waiters behind it.
    func publish(_ sequence: Int64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.latest = max(state.latest, sequence)
            let due = state.waiters.filter { $0.value.0 < sequence }
            for key in due.keys { state.waiters[key] = nil }
            return due.values.map(\.1)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Wakes every waiter without recording a sequence (they read the log again): for when notifications may have
    /// been missed.
    func wakeAll() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.1)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Waits until an event past `sequence` is published, or `timeout` passes, or the task is cancelled.
    func wait(after sequence: Int64, timeout: Duration) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake(id)
            }
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let now = self.state.withLock { state -> Bool in
                            if state.latest > sequence || Task.isCancelled { return true }
                            state.waiters[id] = (sequence, continuation)
                            return false
                        }
                        if now { continuation.resume() }
                    }
                } onCancel: {
                    self.wake(id)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func wake(_ id: Int) {
        let continuation = state.withLock { $0.waiters.removeValue(forKey: id)?.1 }
        continuation?.resume()
    }
}
