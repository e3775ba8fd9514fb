import CrossdockDomain
import Foundation
import Hummingbird

/// The published contract: `GET /openapi.yaml` (the OpenAPI 3.1 document), `GET /docs` (the same, rendered as a
/// page that loads nothing from elsewhere), `GET /v1/event-types` and `GET /v1/event-types/{type}` (the event
/// catalogue and each type's JSON Schema, which CloudEvents name in `dataschema`). All open without a key: they
/// are what partners build clients from.
struct ContractRoutes {
    let contract: Contract?
    let publicURL: PublicURL

    func add(to router: RouteTable) {
        router.get("/openapi.yaml") { _, _ in
            let contract = try Self.require(contract)
            return Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: contract.openAPIText))
            )
        }
        let page = contract.map { DocsPage(document: $0.openAPI, events: $0.events.entries) }
        router.get("/docs") { _, _ in
            guard let page else { throw Self.unavailable }
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: page.contentSecurityPolicy],
                body: .init(byteBuffer: ByteBuffer(string: page.html))
            )
        }
        router.get("/v1/event-types") { _, _ in
            let contract = try Self.require(contract)
            struct List: Encodable { var eventTypes: [EventCatalogue.Entry] }
            return try Response.json(List(eventTypes: contract.events.list(baseURL: publicURL.string)))
        }
        router.get("/v1/event-types/:type") { _, context in
            let contract = try Self.require(contract)
            let type = try pathParameter(context, "type")
            guard let schema = contract.events.schema(type, baseURL: publicURL.string) else { throw notFound("event type", type) }
            var response = try Response.json(schema)
            response.headers[.contentType] = "application/schema+json"
            return response
        }
    }

    static func require(_ contract: Contract?) throws -> Contract {
        guard let contract else { throw unavailable }
        return contract
    }

    static var unavailable: Problem {
        Problem(
            status: .internalServerError,
            code: "internal_error",
            title: "Internal error",
            detail: "the contract resources are missing from this build"
        )
    }
}
