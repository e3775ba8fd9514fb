import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import Foundation
import NIOHTTP1

/// The ERP's master-data feed (issue 14): a delta batch with two new accounts, one of which names a price list the hub
/// does not know. The good account is applied as a new master-data version; the other waits in the quarantine with
/// its reason until the desk corrects it and resubmits it.
extension DemoRun {
    struct MasterDataStepFailed: Error, CustomStringConvertible {
        var description: String
    }

    func feedMasterData() async throws {
        let list = catalog.priceList
        func account(_ id: String, _ name: String, priceList: String) -> String {
            let address = #"{"name":"\#(name)","lines":["12 Harbor Way"],"city":"Oakland","region":"US-CA","postalCode":"94607","country":"US"}"#
            return #"{"id":"\#(id)","name":"\#(name)","creditLimit":{"minorUnits":2500000,"currency":"\#(list.currency.code)"},"#
                + #""billTo":\#(address),"shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"\#(priceList)"}"#
        }
        let batch =
            #"{"source":"sandbox-erp","customers":[\#(account("CUST-ERP-01", "Harbor Supply", priceList: list.id)),"#
            + #"\#(account("CUST-ERP-02", "Bayside Tools", priceList: "PL-EXPORT"))]}"#
        let answer = try await admin.send(.POST, "/v1/master-data/batches", body: Array(batch.utf8))
        guard answer.status == 201, let summary = try? JSONCoding.decoder().decode(FeedSummary.self, from: Data(answer.body)),
            summary.status == .partiallyApplied, let refused = summary.quarantined.first, refused.key == "CUST-ERP-02",
            let version = summary.version
        else { throw MasterDataStepFailed(description: "the ERP's batch: HTTP \(answer.status) \(answer.text.prefix(300))") }
        let reason = refused.problems.map { "\($0.field): \($0.reason)" }.joined(separator: "; ")
        // The desk corrects the price list and resubmits the record.
        let corrected = account("CUST-ERP-02", "Bayside Tools", priceList: list.id)
        let fixed = try await admin.send(.POST, "/v1/master-data/quarantine/\(refused.id)/resubmit", body: Array(corrected.utf8))
        guard fixed.status == 201, let resubmission = try? JSONCoding.decoder().decode(FeedSummary.self, from: Data(fixed.body)),
            let resolvedVersion = resubmission.version
        else { throw MasterDataStepFailed(description: "the corrected record: HTTP \(fixed.status) \(fixed.text.prefix(300))") }
        note(
            "master data: the ERP's batch \(summary.id) applied CUST-ERP-01 as version \(version); CUST-ERP-02 was quarantined (\(reason)), "
                + "corrected by the desk and applied as version \(resolvedVersion)"
        )
    }
}
