import CrossdockDomain
import Foundation
import Synchronization

/// The org's REST API, as far as the hub uses it: one `composite` request (v60.0) per update, whose subrequests
/// update an Order, its OrderItems (sObject Collections), upsert Shipments, Products, price book entries and Accounts
/// by external id. All or none: a subrequest that fails rolls the request back.
///
/// Every request arrives signed by the hub (verified by ``WebhookEndpoint``). The org applies an Order update by its
/// `Crossdock_Sequence__c`, as an integration trigger would: a lower sequence than the one it holds is refused with 409
/// (it already has a later state), the same sequence is acknowledged without change.
extension SandboxCRM {
    struct RESTError: Error {
        var status: Int
        var code: String
        var message: String
    }

    /// Handles one call: `path` after the subscription's `/webhooks` prefix.
    func rest(_ path: String, _ body: [UInt8]) -> WebhookEndpoint.Reply {
        guard path.hasSuffix("/services/data/v60.0/composite"),
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let requests = json["compositeRequest"] as? [[String: Any]]
        else { return Self.reply(400, [["errorCode": "MALFORMED_QUERY", "message": "expected a composite request at \(path)"]]) }
        let box = JSONBox(["compositeRequest": requests])
        do {
            return try records.withLock { state in
                var draft = state
                var responses: [[String: Any]] = []
                for request in box.value["compositeRequest"] as? [[String: Any]] ?? [] {
                    let status = try Self.apply(request, &draft)
                    responses.append([
                        "body": NSNull(), "httpHeaders": [String: String](), "httpStatusCode": status, "referenceId": request["referenceId"] ?? "",
                    ])
                }
                state = draft
                return Self.reply(200, ["compositeResponse": responses])
            }
        } catch let error as RESTError {
            records.withLock { state in
                if error.status == 409 {
                    state.counters.staleRefusals += 1
                } else {
                    state.counters.refusals.append("\(error.code): \(error.message)")
                }
            }
            return Self.reply(error.status, [["errorCode": error.code, "message": error.message]])
        } catch {
            return Self.reply(400, [["errorCode": "UNKNOWN_EXCEPTION", "message": "\(error)"]])
        }
    }

    static func reply(_ status: Int, _ object: Any) -> WebhookEndpoint.Reply {
        WebhookEndpoint.Reply(status: status, body: Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()))
    }

    /// Applies one subrequest; returns its HTTP status.
    static func apply(_ request: [String: Any], _ state: inout CRMState) throws -> Int {
        guard request["method"] as? String == "PATCH", let url = request["url"] as? String, let body = request["body"] as? [String: Any] else {
            throw RESTError(status: 400, code: "METHOD_NOT_ALLOWED", message: "the sandbox org takes PATCH subrequests with a body")
        }
        let parts = url.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0] == "services", parts[1] == "data" else { throw RESTError(status: 404, code: "NOT_FOUND", message: url) }
        let route = Array(parts.dropFirst(3))
        switch route.count {
        case 3 where route[0] == "sobjects" && route[1] == "Order": return try updateOrder(route[2], body, &state)
        case 2 where route == ["composite", "sobjects"]: return try updateItems(body, &state)
        case 4 where route[0] == "composite" && route[2] == "Shipment": return try upsertShipments(body, &state)
        case 4 where route[0] == "sobjects": return try upsert(route[1], key: route[3], body, &state)
        default: throw RESTError(status: 404, code: "NOT_FOUND", message: url)
        }
    }

    static func updateOrder(_ id: String, _ body: [String: Any], _ state: inout CRMState) throws -> Int {
        guard var order = state.orders[id] else { throw RESTError(status: 404, code: "NOT_FOUND", message: "Order \(id)") }
        guard let sequence = int64(body["Crossdock_Sequence__c"]) else {
            throw RESTError(status: 400, code: "REQUIRED_FIELD_MISSING", message: "Crossdock_Sequence__c")
        }
        if sequence < order.sequence {
            throw RESTError(status: 409, code: "STALE_UPDATE", message: "Order \(id) holds update \(order.sequence); \(sequence) is older")
        }
        if sequence == order.sequence { state.counters.alreadyApplied += 1 }
        order.sequence = sequence
        if let status = body["Status"] as? String { order.status = status }
        order.hubStatus = body["Crossdock_Status__c"] as? String
        order.promisedDate = body["Crossdock_Promised_Date__c"] as? String
        order.creditedAmount = SandboxStorefront.cents(body["Crossdock_Credited_Amount__c"]) ?? 0
        state.orders[id] = order
        state.counters.orderUpdates += 1
        return 204
    }

    static func updateItems(_ body: [String: Any], _ state: inout CRMState) throws -> Int {
        for record in body["records"] as? [[String: Any]] ?? [] {
            guard (record["attributes"] as? [String: Any])?["type"] as? String == "OrderItem", let id = record["id"] as? String,
                let orderID = state.orders.first(where: { $0.value.items[id] != nil })?.key
            else { throw RESTError(status: 404, code: "INVALID_CROSS_REFERENCE_KEY", message: "OrderItem \(record["id"] ?? "?")") }
            var item = state.orders[orderID]!.items[id]!
            item.status = record["Crossdock_Status__c"] as? String
            item.shipped = record["Crossdock_Shipped_Quantity__c"] as? Int ?? item.shipped
            item.cancelled = record["Crossdock_Cancelled_Quantity__c"] as? Int ?? item.cancelled
            item.backordered = record["Crossdock_Backordered_Quantity__c"] as? Int ?? item.backordered
            item.returned = record["Crossdock_Returned_Quantity__c"] as? Int ?? item.returned
            item.promisedDate = record["Crossdock_Promised_Date__c"] as? String
            state.orders[orderID]!.items[id] = item
        }
        return 200
    }

    static func upsertShipments(_ body: [String: Any], _ state: inout CRMState) throws -> Int {
        for record in body["records"] as? [[String: Any]] ?? [] {
            guard let key = record["Crossdock_Shipment_Id__c"] as? String, let orderID = record["OrderId"] as? String, state.orders[orderID] != nil
            else {
                throw RESTError(status: 400, code: "INVALID_FIELD", message: "a Shipment needs Crossdock_Shipment_Id__c and a known OrderId")
            }
            var shipment = state.shipments[key] ?? CRMState.Shipment(hubShipmentID: key, orderID: orderID)
            shipment.provider = record["Provider"] as? String
            shipment.trackingNumbers = (record["Crossdock_Tracking_Numbers__c"] as? String)?.split(separator: " ").map(String.init) ?? []
            shipment.status = record["Status"] as? String
            shipment.deliveredAt = record["ActualDeliveryDate"] as? String
            if state.shipments[key] == nil { state.counters.shipmentUpserts += 1 }
            state.shipments[key] = shipment
        }
        return 200
    }

    static func upsert(_ type: String, key: String, _ body: [String: Any], _ state: inout CRMState) throws -> Int {
        let created: Bool
        switch type {
        case "Account":
            var account = state.accounts[key] ?? CRMState.Account(customerID: key)
            created = state.accounts[key] == nil
            account.name = body["Name"] as? String ?? account.name
            account.creditHold = body["Credit_Hold__c"] as? Bool ?? false
            account.creditHoldReason = body["Credit_Hold_Reason__c"] as? String
            account.creditLimit = SandboxStorefront.cents(body["Credit_Limit__c"])
            account.active = body["Crossdock_Active__c"] as? Bool ?? true
            state.accounts[key] = account
            state.counters.accountUpserts += 1
        case "Product2":
            created = state.products[key] == nil
            state.products[key] = (body["Name"] as? String ?? key, body["IsActive"] as? Bool ?? true)
            state.counters.productUpserts += 1
        case "PricebookEntry":
            created = state.priceBook[key] == nil
            guard let price = SandboxStorefront.cents(body["UnitPrice"]) else {
                throw RESTError(status: 400, code: "REQUIRED_FIELD_MISSING", message: "UnitPrice")
            }
            state.priceBook[key] = (price, body["IsActive"] as? Bool ?? true)
            state.counters.priceBookUpserts += 1
        default:
            throw RESTError(status: 404, code: "NOT_FOUND", message: "sObject \(type)")
        }
        return created ? 201 : 204
    }

    /// A number sent as a JSON number or a string.
    static func int64(_ value: Any?) -> Int64? {
        if let text = value as? String { return Int64(text) }
        return (value as? NSNumber)?.int64Value
    }
}
