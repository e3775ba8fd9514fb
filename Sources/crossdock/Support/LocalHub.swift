import ArgumentParser
import AsyncHTTPClient
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// A hub running in this process on a loopback port, for `demo` and `bench`.
struct LocalHub {
    let store: any Store
    let baseURL: String
    let adminKey: String
    /// The hub nodes when the hub runs as several processes (`demo --nodes`), nil when it runs in this process.
    var nodes: NodeSet? = nil

    /// The URL partner number `index` talks to: one node, with the others as fallbacks, so partners spread over nodes.
    func partnerURL(_ index: Int) -> String {
        nodes?.urls(startingAt: index) ?? baseURL
    }

    /// Starts a hub on a new SQLite file in `directory` (or on `store`), runs `body` with it and the extra services,
    /// then shuts everything down gracefully.
    static func with<T: Sendable>(
        directory: URL,
        store given: (any Store)? = nil,
        configuration: Hub.Configuration,
        logger: Logger,
        extraServices: [any Service] = [],
        _ body: @Sendable (LocalHub) async throws -> T
    ) async throws -> T {
        let store = try given ?? SQLiteStore(path: directory.appendingPathComponent("crossdock.sqlite").path, logger: logger)
        let port = PortPromise()
        var configuration = configuration
        configuration.port = 0
        let app = Hub.application(store: store, configuration: configuration, logger: logger) { port.fulfil($0) }
        return try await withRunningServices([app] + extraServices, signals: [.sigterm, .sigint], logger: logger) {
            guard let port = await port.value() else { throw CleanExit.message("the hub did not start") }
            let (_, secret) = try await APIKeys.create(in: store, name: "local-admin", scopes: [Scope.admin.rawValue])
            return try await body(LocalHub(store: store, baseURL: "http://127.0.0.1:\(port)", adminKey: secret))
        }
    }
}

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Prints a progress line, overwriting the previous one on a terminal.
func progressLine(_ text: String) {
    if isatty(STDOUT_FILENO) != 0 {
        print("\r\u{1B}[2K" + text, terminator: "")
        fflush(nil)
    } else {
        print(text)
    }
}

/// Ends a progress line.
func endProgress() {
    if isatty(STDOUT_FILENO) != 0 { print("") }
}

/// Milliseconds with one decimal.
func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

/// Prints a line and flushes at once, so a supervisor reading a pipe or file sees it immediately.
func say(_ text: String) {
    print(text)
    fflush(nil)
}
