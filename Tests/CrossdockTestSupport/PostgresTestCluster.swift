import Foundation

/// A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder, started on a free loopback port
/// (as the `postgres` user when the tests run as root, since PostgreSQL refuses root), one new database per test, and
/// stopped and removed when the test process exits.
///
/// The server binaries are looked up in `CROSSDOCK_PG_BIN`, then Debian's `/usr/lib/postgresql/<version>/bin`.
/// Without them PostgreSQL tests are skipped with a notice, unless `CROSSDOCK_REQUIRE_POSTGRES=1` (as in CI), which
/// makes them fail instead.
public actor PostgresTestCluster {
    /// The cluster of this test process.
    public static let shared = PostgresTestCluster()

    /// Where `initdb`, `pg_ctl` and `psql` live, if anywhere.
    public static let binaries: URL? = {
        let manager = FileManager.default
        if let given = ProcessInfo.processInfo.environment["CROSSDOCK_PG_BIN"], manager.isExecutableFile(atPath: given + "/initdb") {
            return URL(fileURLWithPath: given)
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where manager.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return URL(fileURLWithPath: "\(root)/\(version)/bin")
        }
        return nil
    }()

    /// Whether PostgreSQL tests must run (CI): a missing server is then a failure, not a skip.
    public static var required: Bool { ProcessInfo.processInfo.environment["CROSSDOCK_REQUIRE_POSTGRES"] == "1" }

    /// Whether PostgreSQL tests run here: the binaries exist, or they are required (and will fail without them).
    public static let enabled: Bool = {
        if binaries == nil && !required {
            FileHandle.standardError.write(
                Data(
                    "notice: PostgreSQL server binaries not found (install Debian's postgresql or set CROSSDOCK_PG_BIN): PostgreSQL tests are skipped\n"
                        .utf8
                )
            )
        }
        return binaries != nil || required
    }()

    private var started: (directory: URL, port: Int)?
    private var counter = 0

    /// A cluster of its own (fault tests restart it without disturbing the shared one).
    public init() {}

    /// The cluster's port, starting it on first use.
    public func port() async throws -> Int {
        try await start().port
    }

    /// How many of this cluster's databases may be in use at once. Swift Testing starts every test at once; on
    /// PostgreSQL each holds a pool, a listener and its nodes' connections, and a 2-core machine then spends its time
    /// forking backends. Tests beyond the limit wait for a database to be dropped.
    public static let concurrentDatabases = 12
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A new, empty database; returns its URL (`postgres://crossdock@127.0.0.1:PORT/NAME`). Waits while
    /// ``concurrentDatabases`` are in use; ``dropDatabase(_:)`` frees one.
    public func createDatabase(prefix: String = "t") async throws -> String {
        let (_, port) = try await start()
        while inUse >= Self.concurrentDatabases { await withCheckedContinuation { waiting.append($0) } }
        inUse += 1
        counter += 1
        let name = "\(prefix)_\(getpid())_\(counter)_\(UInt32.random(in: 0...UInt32.max))"
        do {
            try await psql(port: port, "CREATE DATABASE \(name)")
        } catch {
            free()
            throw error
        }
        // A small pool per test, and a patient one: a loaded machine may take seconds to fork a backend.
        return "postgres://crossdock@127.0.0.1:\(port)/\(name)?pool_max=4&pool_timeout_ms=30000"
    }

    /// Drops a database made by ``createDatabase(prefix:)``, closing its connections.
    public func dropDatabase(_ url: String) async {
        defer { free() }
        guard let (_, port) = started, let name = URLComponents(string: url)?.path.dropFirst() else { return }
        try? await psql(port: port, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private func free() {
        inUse -= 1
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    /// Restarts the server (fast shutdown, then start): every connection is cut, nothing committed is lost.
    public func restart() async throws {
        let (directory, port) = try await start()
        try await run(["pg_ctl", "-D", directory.path, "-m", "fast", "-w", "-t", "60", "stop"])
        try await run([
            "pg_ctl", "-D", directory.path, "-w", "-t", "60", "-l", directory.path + "/server.log", "-o", options(port, directory), "start",
        ])
    }

    /// Stops the server (fast) without starting it again; ``resume()`` starts it.
    public func stop() async throws {
        let (directory, _) = try await start()
        try await run(["pg_ctl", "-D", directory.path, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Starts a stopped server again on the same port.
    public func resume() async throws {
        let (directory, port) = try await start()
        try await run([
            "pg_ctl", "-D", directory.path, "-w", "-t", "60", "-l", directory.path + "/server.log", "-o", options(port, directory), "start",
        ])
    }

    private var starting: Task<(directory: URL, port: Int), any Error>?

    /// Starts the cluster once, however many tests ask at the same time.
    private func start() async throws -> (directory: URL, port: Int) {
        if let started { return started }
        if starting == nil { starting = Task { try await launch() } }
        let value = try await starting!.value
        started = value
        return value
    }

    private func launch() async throws -> (directory: URL, port: Int) {
        guard Self.binaries != nil else {
            throw ClusterError("PostgreSQL server binaries not found: install Debian's postgresql package or set CROSSDOCK_PG_BIN")
        }
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crossdock-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try await run(["/bin/chown", "postgres:postgres", directory.path], asServer: false) }
        try await run(["initdb", "-D", directory.path + "/data", "-U", "crossdock", "--auth=trust", "--no-sync", "-E", "UTF8"])
        let data = directory.appendingPathComponent("data")
        let port = try Self.freePort()
        try await run(["pg_ctl", "-D", data.path, "-w", "-t", "60", "-l", directory.path + "/server.log", "-o", options(port, data), "start"])
        ClusterCleanup.register(binaries: Self.binaries!, data: data, root: directory)
        return (data, port)
    }

    private func options(_ port: Int, _ data: URL) -> String {
        // Durability is not what these tests measure (no test crashes the server); fsync off keeps them quick on a busy
        // machine. A restart (fast shutdown) still writes everything out.
        "-p \(port) -k \(data.path) -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off -c full_page_writes=off"
            + " -c shared_buffers=64MB -c log_min_messages=warning"
    }

    private func psql(port: Int, _ command: String) async throws {
        try await run([
            "psql", "-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "crossdock", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", command,
        ])
    }

    /// Runs a server binary (as `postgres` when root) and throws with its output when it fails. The output goes to a
    /// file, not a pipe: the server that `pg_ctl start` leaves running must not hold a pipe the tests wait on.
    private func run(_ arguments: [String], asServer: Bool = true) async throws {
        let tool = arguments[0].hasPrefix("/") ? arguments[0] : Self.binaries!.appendingPathComponent(arguments[0]).path
        let argv =
            asServer && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments.dropFirst() : [tool] + arguments.dropFirst()
        let output = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("crossdock-pg-\(UUID().uuidString.prefix(8)).out")
        defer { try? FileManager.default.removeItem(at: output) }
        // Spawned and waited for directly (posix_spawn, waitpid) on a thread of its own, off the cooperative pool.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try Spawn.run(argv, output: output.path))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        guard status == 0 else {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw ClusterError("\(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }

    private static func freePort() throws -> Int {
        let socket = Darwin_socket()
        guard socket >= 0 else { throw ClusterError("no socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func Darwin_socket() -> Int32 {
        #if canImport(Glibc)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket(AF_INET, SOCK_STREAM, 0)
        #endif
    }
}

/// Why the cluster could not do something.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Stops the cluster and removes its folder when the test process exits.
private enum ClusterCleanup {
    nonisolated(unsafe) static var commands: [String] = []

    static func register(binaries: URL, data: URL, root: URL) {
        let stop = "\(binaries.path)/pg_ctl -D '\(data.path)' -m immediate stop"
        let asServer = getuid() == 0 ? "/usr/sbin/runuser -u postgres -- \(stop)" : stop
        commands.append("\(asServer) >/dev/null 2>&1; rm -rf '\(root.path)'")
        if commands.count == 1 {
            atexit {
                for command in ClusterCleanup.commands {
                    _ = try? Spawn.run(["/bin/sh", "-c", command], output: "/dev/null")
                }
            }
        }
    }
}
