import AsyncHTTPClient
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import Logging

/// Several `crossdock serve` processes on one PostgreSQL database: the hub as it runs in production.
struct HubCluster: Sendable {
    let database: TestDatabase
    let nodes: [HubProcess]
    let adminKey: String

    /// Seeds a new database with `catalog`, creates an admin key, and starts `count` nodes on it.
    static func start(nodes count: Int, catalog: Catalog = Catalog(), arguments: [String] = []) async throws -> HubCluster {
        let database = try await TestDatabase(backend: .postgres)
        let key = try await database.store.withRunning {
            try await seed(database.store, catalog)
            return try await APIKeys.create(in: database.store, name: "test-admin", scopes: ["admin"]).1
        }
        var nodes: [HubProcess] = []
        do {
            for _ in 0..<count {
                nodes.append(try await HubProcess(database: database.url, arguments: arguments))
            }
        } catch {
            for node in nodes { _ = try? await node.stop(SIGKILL) }
            database.remove()
            throw error
        }
        return HubCluster(database: database, nodes: nodes, adminKey: key)
    }

    /// A client of node `index`.
    func client(_ index: Int) -> HubClient {
        HubClient(baseURL: nodes[index].baseURL, apiKey: adminKey)
    }

    /// Stops every node (SIGTERM) and drops the database.
    func stop() async {
        for node in nodes where node.isRunning { _ = try? await node.stop(SIGTERM) }
        database.remove()
    }

    /// The node process whose pid appears in `owner` (leases carry host-pid-suffix).
    func node(owning owner: String) -> HubProcess? {
        nodes.first { owner.contains("-\($0.pid)-") }
    }
}

/// Runs `body` with a cluster, always stopping it.
func withCluster<T: Sendable>(
    nodes: Int,
    catalog: Catalog = Catalog(),
    arguments: [String] = [],
    _ body: @Sendable (HubCluster) async throws -> T
) async throws -> T {
    let cluster = try await HubCluster.start(nodes: nodes, catalog: catalog, arguments: arguments)
    do {
        let value = try await body(cluster)
        await cluster.stop()
        return value
    } catch {
        for node in cluster.nodes { FileHandle.standardError.write(Data("--- node log\n\(node.log.suffix(3000))\n".utf8)) }
        await cluster.stop()
        throw error
    }
}
