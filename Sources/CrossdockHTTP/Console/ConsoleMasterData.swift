import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The console's master-data page: the current version, the open quarantine with its resubmit and discard actions,
/// and the latest feed batches. Hub-wide keys only, like `/v1/master-data`.
extension ConsoleRoutes {
    func addMasterData(to router: RouteTable) {
        let feed = MasterDataFeed(store: store)
        router.get("/console/master-data") { request, context in
            try await page(request, context, .masterData) { context, viewer in
                _ = try context.require(.masterRead)
                try context.requireHubWide("master data")
                let version = try await store.connectorCursor(masterDataVersionCursor)
                let open = try await store.quarantinedRecords(status: .open, kind: nil, batchID: nil, limit: ConsoleMasterDataPage.listed)
                let batches = try await store.feedBatches(limit: 20).compactMap {
                    try? JSONCoding.decoder().decode(FeedSummary.self, from: $0.document)
                }
                return ConsoleMasterDataPage.render(version: Int(version), open: open, batches: batches, notice: Self.notice(request), viewer: viewer)
            }
        }
        router.post("/console/master-data/quarantine/:id/resubmit") { request, context in
            try await action(request, context, .masterData, scope: .masterWrite, route: "/console/master-data/quarantine/{id}/resubmit") {
                context,
                form,
                _ in
                try context.requireHubWide("master data")
                let record = try await quarantined(context)
                // The text box starts with the record as received; unchanged, it is resubmitted as received.
                var text = (form["record"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if text == record.record { text = "" }
                let item = try MasterDataFeedRoutes.resubmission(of: record, corrected: Array(text.utf8), mappings: mappings)
                _ = try await feed.resubmit(record, corrected: item)
                return ConsoleHTML.redirect("/console/master-data?done=resubmit")
            }
        }
        router.post("/console/master-data/quarantine/:id/discard") { request, context in
            try await action(request, context, .masterData, scope: .masterWrite, route: "/console/master-data/quarantine/{id}/discard") {
                context,
                _,
                _ in
                try context.requireHubWide("master data")
                _ = try await feed.discard(try await quarantined(context))
                return ConsoleHTML.redirect("/console/master-data?done=discard")
            }
        }
    }

    private func quarantined(_ context: CrossdockContext) async throws -> QuarantinedRecord {
        let id = try pathParameter(context, "id")
        guard let record = try await store.quarantinedRecord(id) else { throw notFound("quarantined record", id) }
        return record
    }
}

/// The HTML of `/console/master-data`.
enum ConsoleMasterDataPage {
    /// How many open quarantined records the page lists.
    static let listed = 200

    static func render(version: Int, open: [QuarantinedRecord], batches: [FeedSummary], notice: String?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p class=\"muted\">Master-data version <b>\(version)</b>. Feed batches from the ERP apply their good records as one"
        body += " version; records that fail wait here with their reasons until they are resubmitted (as received, or corrected) or"
        body += " discarded. See docs/master-data.md.</p>"
        body += "<h2>Quarantine: \(open.count)\(open.count == listed ? "+" : "") open</h2>"
        body += ConsoleHTML.table(
            ["Record", "Kind", "Key", "Source", "Batch", "Line", "Problems", "As received"] + (viewer.mayWriteMasterData ? ["", ""] : []),
            open.map { record in
                var cells = [
                    e(record.id), e(record.kind), e(record.key ?? "–"), e(record.source), e(record.batchId), record.line.map(String.init) ?? "–",
                    record.problems.map { "<code>\(e($0.field.isEmpty ? "record" : $0.field))</code> \(e($0.reason))" }.joined(separator: "<br>"),
                    "<code>\(e(String(record.record.prefix(300))))\(record.record.count > 300 ? "…" : "")</code>",
                ]
                if viewer.mayWriteMasterData {
                    let path = "/console/master-data/quarantine/\(ConsoleHTML.component(record.id))"
                    let fromCSV = record.record.hasPrefix("{\"#csv\"") || record.record.hasPrefix("{\"#mapping\"")
                    let field =
                        "<textarea name=\"record\" rows=\"3\" cols=\"40\" aria-label=\"corrected record (JSON)\">"
                        + (fromCSV ? "" : e(record.record)) + "</textarea>"
                    cells.append(ConsoleHTML.actionForm(path + "/resubmit", label: "Resubmit", viewer: viewer, fields: field))
                    cells.append(ConsoleHTML.actionForm(path + "/discard", label: "Discard", viewer: viewer))
                }
                return cells
            }
        )
        body += "<h2>Latest batches</h2>"
        body += ConsoleHTML.table(
            ["Batch", "Received", "Source", "Mode", "Status", "Version", "Created", "Updated", "Unchanged", "Quarantined"],
            batches.map { batch in
                let total = { (count: (FeedSummary.Counts) -> Int) in batch.counts.values.map(count).reduce(0, +) }
                return [
                    e(batch.id), e(JSONCoding.format(batch.receivedAt)), e(batch.source), e(batch.mode.rawValue),
                    batch.status == .applied || batch.status == .unchanged
                        ? e(batch.status.rawValue) : "<span class=\"bad\">\(e(batch.status.rawValue))</span>",
                    batch.version.map(String.init) ?? "–", String(total(\.created)), String(total(\.updated)), String(total(\.unchanged)),
                    String(total(\.quarantined)),
                ]
            }
        )
        return ConsoleHTML.page(title: "Master data", section: .masterData, viewer: viewer, notice: notice, body: body)
    }
}
