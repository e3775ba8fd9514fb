import CrossdockTestSupport
import Foundation

/// `crossdock serve` as a child process, so tests can kill it for real.
final class HubProcess: @unchecked Sendable {
    private(set) var pid: pid_t = 0
    /// The exit status, once the process has ended and was reaped.
    private var ended: Int32?
    let output: URL
    private(set) var port = 0
    private(set) var bootstrapKey: String?

    /// The `crossdock` executable built beside the test bundle.
    static var executable: URL {
        get throws {
            var directory = Bundle.main.bundleURL
            if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
            for candidate in [
                directory, Bundle.main.bundleURL.deletingLastPathComponent(),
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            ] {
                let url = candidate.appendingPathComponent("crossdock")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw TestFailure("the crossdock executable was not found next to the tests in \(directory.path); run `swift build` first")
        }
    }

    /// Starts `crossdock serve` on `database` and waits until it listens; `environment` adds to this process's.
    init(database: String, arguments: [String] = [], environment: [String: String] = [:]) async throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString.prefix(8)).log")
        let argv =
            [try Self.executable.path, "serve", "--db", database, "--port", "0", "--log-level", "warning", "--availability-window-ms", "0"]
            + arguments
        pid = try Spawn.start(
            argv,
            output: output.path,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
        )
        // Generous: on a loaded machine the first start of a debug build (migrations, bundle resources) can be slow.
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("crossdock listening on ") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                self.port = port
                let lines = text.split(separator: "\n")
                if let index = lines.firstIndex(where: { $0.hasPrefix("No API keys existed") }), index + 1 < lines.count {
                    bootstrapKey = String(lines[index + 1])
                }
                return
            }
            if !isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if isRunning {
            kill(pid, SIGKILL)
            ended = try? Spawn.wait(pid)
        }
        throw TestFailure("crossdock serve did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func stop(_ signal: Int32) async throws -> Int32 {
        if let ended { return ended }
        kill(pid, signal)
        let deadline = ContinuousClock.now + .seconds(30)
        while isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if let ended { return ended }
        kill(pid, SIGKILL)
        let status = try Spawn.wait(pid)
        ended = status
        return status
    }

    /// Whether the process is still running (reaps it when it has ended).
    var isRunning: Bool {
        if ended != nil { return false }
        guard let status = try? Spawn.poll(pid) else { return true }
        ended = status
        return false
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
}
