import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird

/// Channel and carrier payloads in their own formats: `POST /v1/inbound/shopify/orders`,
/// `POST /v1/inbound/salesforce/orders` and `POST /v1/inbound/carriers/{carrier}`. They authenticate by the partner's
/// signature when no API key is sent (see ``AuthMiddleware``); a key must then carry the route's scope.
struct InboundRoutes {
    let intake: ChannelIntake
    let carriers: CarrierIntake
    let thirdParty: ThirdPartyIntake

    func add(to router: RouteTable) {
        router.post("/v1/inbound/shopify/orders") { request, context in
            _ = try Self.caller(context, scope: .ordersWrite)
            let body = try await RawBody.read(request)
            return try await Self.answering {
                Response.reply(
                    try await intake.shopify(
                        body: body,
                        shopDomain: request.headers[Self.header(ShopifyWebhook.shopDomainHeader)],
                        hmac: request.headers[Self.header(ShopifyWebhook.hmacHeader)],
                        webhookID: request.headers[Self.header(ShopifyWebhook.webhookIDHeader)]
                    )
                )
            }
        }
        router.post("/v1/inbound/salesforce/orders") { request, context in
            let caller = try Self.caller(context, scope: .ordersWrite)
            let body = try await RawBody.read(request)
            return try await Self.answering {
                Response.reply(
                    try await intake.salesforce(
                        body: body,
                        orgID: request.headers[Self.header("X-Crossdock-Partner")],
                        signature: request.headers[Self.header(SalesforceOrders.signatureHeader)],
                        caller: caller,
                        idempotencyKey: request.headers[Self.header("Idempotency-Key")]
                    )
                )
            }
        }
        router.post("/v1/inbound/carriers/:carrier") { request, context in
            let caller = try Self.caller(context, scope: .fulfillmentWrite)
            let carrier = try pathParameter(context, "carrier", .partnerID)
            let body = try await RawBody.read(request)
            return try await Self.answering {
                let headers = CarrierProfile.Format.allCases.map(\.signatureHeader)
                let signature = headers.lazy.compactMap { request.headers[Self.header($0)] }.first
                let outcome = try await carriers.receive(carrierID: carrier, body: body, signature: signature, caller: caller)
                return try Response.json(outcome, status: .accepted)
            }
        }
        addThirdParty(to: router)
    }

    /// `POST /v1/inbound/3pl/{partner}/shipments`: a CSV 3PL's shipping confirmations (`text/csv`).
    func addThirdParty(to router: RouteTable) {
        router.post("/v1/inbound/3pl/:partner/shipments") { request, context in
            let key = try context.require(.fulfillmentWrite)
            let partner = try pathParameter(context, "partner", .partnerID)
            let body = try await RawBody.read(request)
            return try await Self.answering {
                let outcomes = try await thirdParty.receive(partnerID: partner, csv: body, callerPartner: key.partner)
                struct Answer: Encodable { var confirmations: [ThirdPartyIntake.Outcome] }
                return try Response.json(Answer(confirmations: outcomes))
            }
        }
    }

    /// The caller: authenticated with the route's scope when a key was sent, else anonymous (signature checked).
    static func caller(_ context: CrossdockContext, scope: Scope) throws -> ChannelIntake.Caller {
        guard context.principal != nil else { return .init(authenticated: false, partner: nil) }
        let key = try context.require(scope)
        return .init(authenticated: true, partner: key.partner)
    }

    static func header(_ name: String) -> HTTPField.Name { HTTPField.Name(name)! }

    /// Runs `body`, answering a connector refusal as a problem: 401 for a bad signature, 404 for an unknown partner,
    /// 422 for a payload the connector cannot map.
    static func answering(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as ConnectorError {
            throw Problem(connector: error)
        }
    }
}

extension Problem {
    /// The problem for a connector refusal.
    init(connector error: ConnectorError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case "bad_signature": .unauthorized
            case "unknown_partner": .notFound
            default: .unprocessableContent
            }
        self.init(
            status: status,
            code: error.code,
            title: status == .unauthorized ? "Signature not valid" : "Partner payload refused",
            detail: error.message,
            errors: error.errors
        )
    }
}
