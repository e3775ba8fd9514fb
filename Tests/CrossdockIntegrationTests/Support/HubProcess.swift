import Foundation

/// `crossdock serve` as a child process, so tests can kill it for real.
final class HubProcess: @unchecked Sendable {
    let process = Process()
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

    /// Starts `crossdock serve` on `database` and waits until it listens.
    init(database: String, arguments: [String] = []) async throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = try Self.executable
        process.arguments =
            ["serve", "--db", database, "--port", "0", "--log-level", "warning", "--availability-window-ms", "0"] + arguments
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
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
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw TestFailure("crossdock serve did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func stop(_ signal: Int32) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
}
