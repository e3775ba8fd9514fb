import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /v1/inbound/edi`: raw X12 in, the 997 out (`application/edi-x12`; `Accept: application/json` gets the
/// receipt with the 997 inside). The key needs `orders:write` or `fulfillment:write`.
struct EDIRoutes {
    let inbound: EDIInbound

    func add(to router: RouteTable) {
        router.post("/v1/inbound/edi") { request, context in
            let key = try context.require(.ordersWrite, or: .fulfillmentWrite)
            let body = try await RawBody.read(request)
            let receipt: EDIInbound.Receipt
            do {
                receipt = try await inbound.receive(body, callerPartner: key.partner)
            } catch let refusal as EDIInbound.Refusal {
                throw Problem(refusal: refusal)
            }
            var headers: HTTPFields = [HTTPField.Name("X-Crossdock-Interchange-Id")!: receipt.interchangeID]
            if receipt.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            if request.headers[.accept]?.contains("application/json") == true {
                var response = try Response.json(receipt)
                for field in headers { response.headers[field.name] = field.value }
                return response
            }
            headers[.contentType] = "application/edi-x12"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: receipt.acknowledgment)))
        }
    }
}

extension Problem {
    /// The problem for an interchange the hub cannot acknowledge.
    init(refusal: EDIInbound.Refusal) {
        let status: HTTPResponse.Status =
            switch refusal.code {
            case "unknown_partner": .notFound
            case "forbidden_partner": .forbidden
            case "wrong_receiver": .unprocessableContent
            default: .badRequest
            }
        self.init(
            status: status,
            code: refusal.code,
            title: "Interchange refused",
            detail: refusal.message,
            errors: refusal.errors.map { error in
                IntakeError.FieldError(
                    field: "segment \(error.segmentPosition) (\(error.segmentID))" + (error.elementPosition.map { ", element \($0)" } ?? ""),
                    reason: error.message
                )
            }
        )
    }
}
