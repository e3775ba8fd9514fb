import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import Foundation
import NIOHTTP1

/// The US ERP instance's master-data feed (issue 14): a delta batch with two new accounts of the US entity, one of
/// which names a price list the hub does not know, and one account of the European entity, which only the European
/// instance may write. The good account is applied as a new master-data version; the other two wait in the
/// quarantine with their reasons: the desk corrects and resubmits the first and discards the second.
extension DemoRun {
    struct MasterDataStepFailed: Error, CustomStringConvertible {
        var description: String
    }

    func feedMasterData() async throws {
        let list = catalog.priceList
        let us = Catalog.unitedStates
        func account(_ id: String, _ name: String, priceList: String, entity: LegalEntity = Catalog.unitedStates) -> String {
            let address = #"{"name":"\#(name)","lines":["12 Harbor Way"],"city":"Oakland","region":"US-CA","postalCode":"94607","country":"US"}"#
            return #"{"id":"\#(id)","name":"\#(name)","creditLimit":{"minorUnits":2500000,"currency":"\#(entity.currency.code)"},"#
                + #""billTo":\#(address),"shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"\#(priceList)","#
                + #""legalEntityId":"\#(entity.id)"}"#
        }
        let european = catalog.otherCustomers.first
        var records = [account("CUST-ERP-01", "Harbor Supply", priceList: list.id), account("CUST-ERP-02", "Bayside Tools", priceList: "PL-EXPORT")]
        if let european { records.append(account(european.id, european.name, priceList: european.priceListID, entity: Catalog.europe)) }
        let batch = #"{"source":"\#(us.erpInstance)","customers":[\#(records.joined(separator: ","))]}"#
        let answer = try await admin.send(.POST, "/v1/master-data/batches", body: Array(batch.utf8))
        guard answer.status == 201, let summary = try? JSONCoding.decoder().decode(FeedSummary.self, from: Data(answer.body)),
            summary.status == .partiallyApplied, let refused = summary.quarantined.first(where: { $0.key == "CUST-ERP-02" }),
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
            "master data: \(us.erpInstance)'s batch \(summary.id) applied CUST-ERP-01 as version \(version); CUST-ERP-02 was quarantined (\(reason)), "
                + "corrected by the desk and applied as version \(resolvedVersion)"
        )
        guard let european else { return }
        // The European account is not the US instance's to write: quarantined, and the desk discards the record.
        guard let foreign = summary.quarantined.first(where: { $0.key == european.id }) else {
            throw MasterDataStepFailed(description: "\(us.erpInstance) wrote \(european.id), an account of legal entity \(Catalog.europe.id)")
        }
        let discarded = try await admin.send(.POST, "/v1/master-data/quarantine/\(foreign.id)/discard")
        guard discarded.status == 200 else {
            throw MasterDataStepFailed(description: "discard \(foreign.id): HTTP \(discarded.status) \(discarded.text.prefix(300))")
        }
        note(
            "master data: \(us.erpInstance) also sent \(european.id) (\(foreign.problems.map(\.reason).joined(separator: "; "))); quarantined, discarded by the desk"
        )
    }
}
