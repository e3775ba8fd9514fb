import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

/// Runs a job on one hub node at a time: the node holding the store's lease `name` runs it, renewing the lease a few
/// times per lease period; the others wait. When the holder dies or loses its database for longer than the lease,
/// the job stops there and another node takes the lease over and starts it.
///
/// On SQLite (one process) the lease is always this node's; the wrapper then only adds a periodic renewal write.
public struct SingletonService<Job: Service>: Service {
    let name: String
    let store: any Store
    let job: Job
    let lease: Duration
    let owner: String
    let logger: Logger

    /// Wraps `job`.
    /// - Parameters:
    ///   - name: the lease's name, the same on every node.
    ///   - store: where the lease lives.
    ///   - job: the job to run on the holder.
    ///   - lease: how long a lease lasts without renewal (default 10 s): the longest a dead holder delays the job.
    ///   - owner: this node's name.
    ///   - logger: where to log hand-overs.
    public init(
        name: String,
        store: any Store,
        job: Job,
        lease: Duration = .seconds(10),
        owner: String = NodeIdentity.current,
        logger: Logger = Logger(label: "crossdock.singleton")
    ) {
        self.name = name
        self.store = store
        self.job = job
        self.lease = lease
        self.owner = owner
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if (try? await store.acquireLease(name, owner: owner, duration: lease)) == true {
                logger.info("job started on this node", metadata: ["crossdock.job": "\(name)", "crossdock.node": "\(owner)"])
                await runWhileHeld()
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("job lease lost; another node may take it over", metadata: ["crossdock.job": "\(name)"])
            }
            try? await Task.sleep(for: lease / 3)
        }
        try? await store.releaseLease(name, owner: owner)
    }

    /// Runs the job until it ends or the lease cannot be renewed before it would expire.
    private func runWhileHeld() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await job.run()
                } catch {
                    logger.error("job failed", metadata: ["crossdock.job": "\(name)", LogKey.error: "\(error)"])
                }
            }
            group.addTask {
                var renewed = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: lease / 3)
                    if Task.isCancelled { return }
                    let held = try? await store.acquireLease(name, owner: owner, duration: lease)
                    if held == true {
                        renewed = .now
                    } else if held == false || ContinuousClock.now - renewed > lease - lease / 3 {
                        return  // taken over, or about to expire without a database to renew it in
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
