import ArgumentParser
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// `crossdock reconcile`: ordered vs shipped vs invoiced vs returned vs credited, from the database.
struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile ordered, shipped, invoiced, returned and credited units and amounts.",
        discussion: """
            Reads the database directly and prints one summary line, then every mismatch (DOMAIN.md 5.4 classes).
            Exits 1 when anything does not balance. --from and --to (RFC 3339) restrict it to orders received
            in that window.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Only orders received at or after this time (RFC 3339).")
    var from: String?
    @Option(help: "Only orders received before this time (RFC 3339).")
    var to: String?

    func run() async throws {
        let url = try await database.url()
        let bounds = try [from, to].map { text -> Date? in
            guard let text else { return nil }
            guard let date = JSONCoding.parse(text) else { throw ValidationError("'\(text)' is not an RFC 3339 time") }
            return date
        }
        let store = try await StoreFactory.open(url)
        let summary = try await store.withRunning { try await ReconciliationReport(store: store).summary(from: bounds[0], to: bounds[1]) }
        say("\(summary.orders) orders (\(summary.closedOrders) closed, \(summary.openOrders) open): \(summary.line)")
        for entity in summary.entities {
            say("  legal entity \(entity.legalEntityID.isEmpty ? "(none)" : entity.legalEntityID): \(entity.orders) orders: \(entity.line)")
        }
        for mismatch in summary.mismatches {
            say("  \(mismatch.orderID) \(mismatch.kind.rawValue): \(mismatch.message)")
        }
        if !summary.mismatches.isEmpty { throw ExitCode(1) }
    }
}
