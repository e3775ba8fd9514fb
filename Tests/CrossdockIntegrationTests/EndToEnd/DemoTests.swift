import CrossdockStore
import CrossdockTestSupport
import Foundation
import Logging
import Testing

/// `crossdock demo` as a child process: the hub, the sandbox WMS and the sandbox carrier over real loopback HTTP,
/// every exception of the order lifecycle (credit hold and release, substitution, backorders filled by receipts,
/// cancellations before and after release, short picks, lost, damaged and returned parcels, returns) and a
/// balanced reconciliation. Every event the demo emitted is then validated against its published schema.
@Suite struct DemoTests {
    @Test func theDemoSettlesEveryOrderThroughEveryExceptionAndBalances() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("demo.sqlite").path
        let result = try ChildProcess.run(try HubProcess.executable, ["demo", "--orders", "60", "--seed", "11", "--db", "sqlite:\(database)"])
        let output = result.text
        #expect(result.status == 0, "\(output)")
        let reconciliation = output.split(separator: "\n").first { $0.contains("reconciliation: ordered") }
        #expect(reconciliation?.hasSuffix("| balanced") == true, "\(output)")
        for exercised in ["short-picked", "cancellations", "lost", "damaged", "returned to sender", "returns:", "substitution", "credit hold"] {
            #expect(output.contains(exercised), "the demo did not report \(exercised)")
        }
        #expect(output.contains("demo passed"))

        let store = try SQLiteStore(path: database, logger: Logger(label: "test"))
        let types = try await EventSchemaCheck.expectValid(store)
        if !types.isEmpty { print("demo events validated against their schemas: \(types.count) types") }
    }
}
