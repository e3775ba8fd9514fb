import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// `PUT /v1/legal-entities/{id}`, `GET /v1/legal-entities[/{id}]`: the distributor's legal entities, each with its
/// currency, ERP instance and tax rules (docs/master-data.md#legal-entities).
struct LegalEntityRoutes {
    let store: any Store
    let service: MasterDataService

    func add(to router: RouteTable) {
        router.put("/v1/legal-entities/:id") { request, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .partnerID)
            let body = try await JSONBody<LegalEntityBody>.read(request, schema: RequestSchemas.legalEntity).value
            var errors: [IntakeError.FieldError] = []
            errors.check(body.id != nil && body.id != id, "id", "must match the path")
            errors += body.problems
            try throwIfAny(errors)
            let entity = body.entity(id: id)
            try await noteChanges(of: entity) { (try await store.legalEntities().first { $0.id == id }, entity) }
            return Response.reply(try await service.put(entity))
        }
        router.get("/v1/legal-entities") { _, context in
            _ = try context.require(.masterRead)
            return try Response.json(Items(items: try await store.legalEntities()))
        }
        router.get("/v1/legal-entities/:id") { _, context in
            _ = try context.require(.masterRead)
            let id = try pathParameter(context, "id", .partnerID)
            guard let entity = try await store.legalEntities().first(where: { $0.id == id }) else { throw notFound("legal entity", id) }
            return try Response.json(entity)
        }
    }

    /// The problems of a customer's `legalEntityId` against the stored entities: it must exist, and the account's
    /// credit limit and price list must be in the entity's currency.
    static func problems(of customer: Customer, in store: any Store) async throws -> [IntakeError.FieldError] {
        guard let id = customer.legalEntityID else { return [] }
        guard let entity = try await store.legalEntities().first(where: { $0.id == id }) else {
            return [.init(field: "legalEntityId", reason: "unknown legal entity '\(id)'")]
        }
        var errors: [IntakeError.FieldError] = []
        let currency = entity.currency.code
        errors.check(
            customer.creditLimit.currency != entity.currency,
            "creditLimit.currency",
            "is \(customer.creditLimit.currency.code) but legal entity \(id) books in \(currency)"
        )
        if let list = try await store.priceList(customer.priceListID), list.currency != entity.currency {
            errors.append(
                .init(field: "priceListId", reason: "price list \(list.id) is in \(list.currency.code) but legal entity \(id) books in \(currency)")
            )
        }
        return errors
    }
}

/// `PUT /v1/legal-entities/{id}` body.
struct LegalEntityBody: Decodable {
    var id: String?
    var name: String
    var currency: Currency
    var erpInstance: String
    var taxRates: [LegalEntity.TaxRate]?

    func entity(id: String) -> LegalEntity {
        LegalEntity(id: id, name: name, currency: currency, erpInstance: erpInstance, taxRates: taxRates)
    }

    var problems: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        errors.check(name.trimmingCharacters(in: .whitespaces).isEmpty, "name", "must not be empty")
        errors.check(name.count > 200, "name", "at most 200 characters")
        if let reason = Identifier.problem(erpInstance, .partnerID) { errors.append(.init(field: "erpInstance", reason: reason)) }
        let rates = taxRates ?? []
        errors.check(Set(rates.map(\.region)).count != rates.count, "taxRates", "regions must be unique")
        for (index, rate) in rates.enumerated() {
            if let reason = Identifier.problem(rate.region, .region) { errors.append(.init(field: "taxRates[\(index)].region", reason: reason)) }
            errors.check(rate.ratePPM < 0 || rate.ratePPM > 1_000_000, "taxRates[\(index)].ratePpm", "must be 0...1000000")
        }
        return errors
    }
}
