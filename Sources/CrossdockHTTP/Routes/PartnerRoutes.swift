import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Partner profiles: X12 trading partners, Shopify shops, Salesforce orgs, carriers and CSV 3PLs.
///
/// `PUT /v1/partners/{id}` takes `{"kind": "x12" | "shopify" | "salesforce" | "carrier" | "csv", …profile}`.
/// Secrets are stored but never shown again: reads answer `"***"` in their place.
struct PartnerRoutes {
    let store: any Store
    let service: PartnerService

    func add(to router: RouteTable) {
        router.put("/v1/partners/:id") { request, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .partnerID)
            let bytes = try await Self.jsonBytes(request)
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                throw Problem(status: .badRequest, code: "malformed_json", title: "Malformed JSON", detail: "the body must be a JSON object")
            }
            guard case .string(let kindName)? = members["kind"], let kind = PartnerDirectory.Kind(rawValue: kindName) else {
                let kinds = PartnerDirectory.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(
                    status: .unprocessableContent,
                    code: "invalid_fields",
                    title: "Invalid fields",
                    detail: "kind must be one of \(kinds)",
                    errors: [.init(field: "kind", reason: "must be one of \(kinds)")]
                )
            }
            do {
                let before = AuditContext.current == nil ? nil : try await store.partner(id)
                let record = try await service.put(id: id, kind: kind, document: Data(bytes))
                // The entry compares the views, whose secrets are masked.
                if AuditContext.current != nil {
                    AuditContext.note(changes: FieldChange.diff(before: before.map(Self.view), after: Self.view(record)))
                }
                return try Response.json(Self.view(record))
            } catch let invalid as PartnerService.Invalid {
                try throwIfAny(invalid.problems.map { IntakeError.FieldError(field: $0.field, reason: $0.reason) })
                throw invalid
            } catch let error as DecodingError {
                let (field, reason) = JSONBody<JSONValue>.field(of: error)
                try throwIfAny([IntakeError.FieldError(field: field.isEmpty ? "body" : field, reason: reason)])
                throw error
            }
        }
        router.get("/v1/partners") { request, context in
            _ = try context.require(.masterRead)
            let kind = request.uri.queryParameters.get("kind")
            return try Response.json(try await store.partners(kind: kind).filter { context.canSee(partnerID: $0.id) }.map(Self.view))
        }
        router.get("/v1/partners/:id") { _, context in
            _ = try context.require(.masterRead)
            let id = try pathParameter(context, "id", .partnerID)
            guard context.canSee(partnerID: id), let record = try await store.partner(id) else { throw notFound("partner", id) }
            return try Response.json(Self.view(record))
        }
        router.delete("/v1/partners/:id") { _, context in
            _ = try context.require(.masterWrite)
            let id = try pathParameter(context, "id", .partnerID)
            guard try await service.delete(id: id) else { throw notFound("partner", id) }
            return Response(status: .noContent)
        }
        router.get("/v1/partners/:id/documents") { request, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id", .partnerID)
            guard context.canSee(partnerID: id), try await store.partner(id) != nil else { throw notFound("partner", id) }
            let limit = try queryInt(request, "limit", default: 100, range: 1...1000)
            return try Response.json(try await store.ediDocuments(partnerID: id, limit: limit))
        }
        router.get("/v1/orders/:id/documents") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            // A partner-bound key sees its own documents of the order, not those exchanged with a warehouse partner.
            return try Response.json(try await store.ediDocuments(orderID: id).filter { context.canSee(partnerID: $0.partnerID) })
        }
        router.get("/v1/orders/:id/references") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            return try Response.json(try await store.externalReferences(orderID: id).filter { context.canSee(partnerID: $0.partner) })
        }
        router.get("/v1/edi/interchanges/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let interchange = try await store.ediInterchange(id), context.canSee(partnerID: interchange.partnerID) else {
                throw notFound("interchange", id)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/edi-x12"],
                body: .init(byteBuffer: ByteBuffer(string: interchange.text))
            )
        }
    }

    /// A stored profile as shown: its kind and document with secrets masked.
    static func view(_ record: PartnerRecord) -> JSONValue {
        var document = (try? JSONDecoder().decode(JSONValue.self, from: record.document)) ?? .object([:])
        if case .object(var members) = document {
            for key in members.keys where PartnerRecord.isSecretMember(key) { members[key] = .string("***") }
            members["kind"] = .string(record.kind)
            members["updatedAt"] = .string(JSONCoding.format(record.updatedAt))
            document = .object(members)
        }
        return document
    }

    /// The raw JSON body (at most 1 MiB).
    static func jsonBytes(_ request: Request) async throws -> [UInt8] {
        try JSONBody<JSONValue>.requireJSON(request)
        let bytes = try await RawBody.read(request)
        do {
            try StrictJSON.validate(bytes)
        } catch {
            throw Problem(
                status: .badRequest,
                code: "malformed_json",
                title: "Malformed JSON",
                detail: "the body is not valid JSON at byte \(error.offset): \(error.reason)"
            )
        }
        return bytes
    }
}
