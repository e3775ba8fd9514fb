import CrossdockDomain
import CrossdockStore
import Foundation

extension MasterDataService {
    /// Creates or replaces a legal entity as the next master-data version, with `legal_entity.upserted`.
    ///
    /// An entity's currency is its customers' currency: once customers name the entity it cannot change (409
    /// `entity_in_use`, naming how many), since their credit limits, price lists and open documents are in it.
    public func put(_ entity: LegalEntity) async throws -> Reply {
        AuditContext.note(status: 200, location: nil)
        let stored = try await Self.commitVersioned(store) { [self] () async throws -> (UnitOfWork, LegalEntity) in
            let version = Int(try await store.connectorCursor(masterDataVersionCursor)) + 1
            if let old = try await store.legalEntities().first(where: { $0.id == entity.id }), old.currency != entity.currency {
                let members = try await store.customers().filter { $0.legalEntityID == entity.id }.count
                if members > 0 {
                    throw EngineError(
                        .conflict,
                        code: "entity_in_use",
                        message:
                            "legal entity \(entity.id) books in \(old.currency.code) and \(members) customer(s) name it; its currency cannot change to \(entity.currency.code)",
                        errors: [.init(field: "currency", reason: "\(members) customer(s) of the entity book in \(old.currency.code)")]
                    )
                }
            }
            var stamped = entity
            stamped.version = version
            var unit = UnitOfWork()
            unit.cursor = CursorAdvance(name: masterDataVersionCursor, from: Int64(version - 1), to: Int64(version))
            unit.legalEntities = [stamped]
            unit.events = [event(.legalEntityUpserted, subject: entity.id, stamped)]
            return (unit, stamped)
        }
        return Reply(status: 200, body: try encode(stored))
    }
}
