import ArgumentParser
import Foundation

/// Hub nodes run as child `crossdock serve` processes on one PostgreSQL database, for `demo --nodes` and
/// `bench --nodes`: real processes, so one can be killed for real.
final class NodeSet: @unchecked Sendable {
    struct Node {
        let process: Process
        let log: URL
        let url: String
    }

    private let lock = NSLock()
    private var nodes: [Node] = []

    /// Starts `count` nodes on `database` with extra `serve` arguments; waits until each listens.
    init(count: Int, database: String, arguments: [String], directory: URL) async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        do {
            for index in 0..<count {
                let log = directory.appendingPathComponent("node-\(index + 1).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let process = Process()
                process.executableURL = executable
                process.arguments = ["serve", "--db", database, "--port", "0", "--log-level", "warning"] + arguments
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                let url = try await Self.waitForListening(process, log: log)
                lock.withLock { nodes.append(Node(process: process, log: log, url: url)) }
            }
        } catch {
            stopAll()
            throw error
        }
    }

    /// Every node's base URL, in start order.
    var urls: [String] { lock.withLock { nodes.map(\.url) } }

    /// The nodes' URLs starting at node `index`, as one comma-separated list (the first is the primary, the others
    /// take over when it cannot be reached): spreads partners across nodes.
    func urls(startingAt index: Int) -> String {
        let all = urls
        guard !all.isEmpty else { return "" }
        return (0..<all.count).map { all[(index + $0) % all.count] }.joined(separator: ",")
    }

    /// Kills node `index` with SIGKILL (no graceful shutdown: in-flight work is left to its leases).
    func kill(_ index: Int) -> Int32 {
        let process = lock.withLock { nodes[index].process }
        let pid = process.processIdentifier
        Foundation.kill(pid, SIGKILL)
        process.waitUntilExit()
        return pid
    }

    /// Whether node `index` still runs.
    func isRunning(_ index: Int) -> Bool { lock.withLock { nodes[index].process.isRunning } }

    /// Stops every running node with SIGTERM and waits for it (SIGKILL after 20 s).
    func stopAll() {
        let processes = lock.withLock { nodes.map(\.process) }
        for process in processes where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        for process in processes {
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// The last lines of node `index`'s log.
    func logTail(_ index: Int) -> String {
        let url = lock.withLock { nodes[index].log }
        return String(((try? String(contentsOf: url, encoding: .utf8)) ?? "").suffix(2000))
    }

    private static func waitForListening(_ process: Process, log: URL) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("crossdock listening on ") }) {
                return String(line.dropFirst("crossdock listening on ".count))
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("a hub node did not start: \((try? String(contentsOf: log, encoding: .utf8))?.suffix(1500) ?? "")")
    }
}
