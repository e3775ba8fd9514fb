import Foundation

/// A child process run to its end, with its output captured in temporary files rather than pipes.
///
/// A pipe's reader sees end-of-file only once every holder of the write end has closed it, and a long-lived process
/// that another test spawns at the same moment (a PostgreSQL server, a hub node) can inherit that end and keep it
/// open for as long as it lives: the reader then waits for that process instead of the child. A file has no such
/// end; it is read once the child has exited.
public enum ChildProcess {
    /// How a child ended and what it wrote.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output (and standard error, when they were merged).
        public var output: Data
        /// Standard error, when it was kept apart.
        public var errors: Data

        /// Standard output as text.
        public var text: String { String(decoding: output, as: UTF8.self) }
        /// Standard error as text.
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` and waits for it to exit. With `mergeErrors`, standard error goes to the
    /// same file as standard output, interleaved as written.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String]? = nil,
        mergeErrors: Bool = true
    ) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
        let outputURL = directory.appendingPathComponent("crossdock-child-\(UUID().uuidString).out")
        let errorsURL = directory.appendingPathComponent("crossdock-child-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorsURL)
        }
        let status = try Spawn.wait(
            try Spawn.start(
                [executable.path] + arguments,
                output: outputURL.path,
                errors: mergeErrors ? nil : errorsURL.path,
                environment: environment
            )
        )
        return Result(
            status: status,
            output: try Data(contentsOf: outputURL),
            errors: mergeErrors ? Data() : try Data(contentsOf: errorsURL)
        )
    }
}
