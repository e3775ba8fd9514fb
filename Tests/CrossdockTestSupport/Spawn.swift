import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with `posix_spawn` and waits for them with `waitpid`, their output in files.
///
/// Not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a `dirent` copy that can read past the
/// end of glibc's buffer and crash the test process (swift-corelibs-foundation PR 5472); a test process with many
/// descriptors open (databases, sockets) hit it. Here the child gets standard input from /dev/null, standard output
/// and error in files, and no other descriptor of the test process.
public enum Spawn {
    /// A failure to start or wait for a child.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time: Swift's Glibc module
    /// does not declare it.
    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ descriptor: Int32) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, descriptor)
    }

    /// Starts `argv` (its first element a path); returns the child's pid.
    /// - Parameters:
    ///   - output: the file standard output goes to (created or truncated).
    ///   - errors: the file standard error goes to; nil for the same file as standard output.
    ///   - environment: the child's environment; nil for this process's.
    public static func start(_ argv: [String], output: String, errors: String? = nil, environment: [String: String]? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // Nothing else the test process has open reaches the child: a server it starts may live until the run ends,
        // and an inherited pipe (another test's) would keep that pipe's reader waiting as long.
        closeFrom(&actions, 3)
        var pid: pid_t = 0
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let result: Int32
        if let environment {
            let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for variable in variables { free(variable) } }
            result = posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
        } else {
            result = posix_spawn(&pid, argv[0], &actions, nil, arguments, environ)
        }
        guard result == 0 else { throw Failure(description: "cannot start \(argv[0]): errno \(result)") }
        return pid
    }

    /// Waits for `pid` to end; returns its exit status (128 + the signal's number when a signal ended it).
    public static func wait(_ pid: pid_t) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: errno \(errno)") }
        }
        return exitStatus(status)
    }

    /// The exit status of `pid` if it has ended (and is reaped now), nil while it runs.
    public static func poll(_ pid: pid_t) throws -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        guard result == pid else { throw Failure(description: "waitpid failed: errno \(errno)") }
        return exitStatus(status)
    }

    /// Runs `argv` to its end, its output (and errors) in `output`.
    public static func run(_ argv: [String], output: String) throws -> Int32 {
        try wait(try start(argv, output: output))
    }

    private static func exitStatus(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS, else WTERMSIG
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
