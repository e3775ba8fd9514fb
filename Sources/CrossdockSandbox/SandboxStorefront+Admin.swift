import CrossdockDomain
import Foundation
import Synchronization

/// The shop's Admin API, as far as the hub uses it (REST 2024-10 fulfillments, fulfillment events, cancel, refunds;
/// GraphQL `metafieldsSet` and `productSet`), applied to the shop's own records. Every call arrives signed by the
/// hub (verified by ``WebhookEndpoint``); a call that would move an order back (fulfil units already fulfilled or
/// cancelled, cancel a cancelled order, refund more than is left) is refused with 409, since the shop already has a
/// later state.
extension SandboxStorefront {
    /// A refusal with its status.
    struct AdminError: Error {
        var status: Int
        var message: String
    }

    /// Handles one Admin API call: `path` after the subscription's `/webhooks` prefix.
    func admin(_ path: String, _ body: [UInt8]) -> WebhookEndpoint.Reply {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0] == "admin", parts[1] == "api",
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return Self.reply(400, ["errors": "not an Admin API call: \(path)"]) }
        let route = Array(parts.dropFirst(3))
        let request = JSONBox(json)
        do {
            let answer: WebhookEndpoint.Reply = try shop.withLock { state in
                let json = request.value
                let answer: [String: Any]
                switch route.count {
                case 1 where route[0] == "graphql.json": answer = try Self.graphQL(json, &state)
                case 3 where route[0] == "orders" && route[2] == "fulfillments.json":
                    answer = try Self.fulfil(Self.id(route[1]), json, &state)
                case 5 where route[0] == "orders" && route[2] == "fulfillments" && route[4] == "events.json":
                    answer = try Self.fulfillmentEvent(Self.id(route[1]), Self.id(route[3]), json, &state)
                case 3 where route[0] == "orders" && route[2] == "cancel.json":
                    answer = try Self.cancel(Self.id(route[1]), json, &state)
                case 3 where route[0] == "orders" && route[2] == "refunds.json":
                    answer = try Self.refund(Self.id(route[1]), json, &state)
                default: throw AdminError(status: 404, message: "no route \(path)")
                }
                return Self.reply(201, answer)
            }
            return answer
        } catch let error as AdminError {
            shop.withLock { state in
                if error.status == 409 {
                    state.counters.staleRefusals += 1
                } else {
                    state.counters.refusals.append("\(error.status) \(path): \(error.message)")
                }
            }
            return Self.reply(error.status, ["errors": error.message])
        } catch {
            return Self.reply(400, ["errors": "\(error)"])
        }
    }

    static func reply(_ status: Int, _ object: Any) -> WebhookEndpoint.Reply {
        WebhookEndpoint.Reply(status: status, body: Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()))
    }

    static func id(_ text: String) throws -> Int64 {
        guard let id = Int64(text) else { throw AdminError(status: 404, message: "\(text) is not an id") }
        return id
    }

    static func order(_ id: Int64, _ state: ShopState) throws -> ShopState.Order {
        guard let order = state.orders[id] else { throw AdminError(status: 404, message: "order \(id) not found") }
        return order
    }

    /// `POST orders/{id}/fulfillments.json`.
    static func fulfil(_ orderID: Int64, _ json: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        var order = try order(orderID, state)
        guard let fulfillment = json["fulfillment"] as? [String: Any], let items = fulfillment["line_items"] as? [[String: Any]], !items.isEmpty
        else {
            throw AdminError(status: 422, message: "fulfillment.line_items is required")
        }
        guard order.cancelledAt == nil else { throw AdminError(status: 409, message: "order \(orderID) is cancelled") }
        var quantities: [Int64: Int] = [:]
        for item in items {
            guard let id = int64(item["id"]), let quantity = item["quantity"] as? Int, quantity > 0,
                let index = order.lineItems.firstIndex(where: { $0.id == id })
            else { throw AdminError(status: 422, message: "unknown line item or bad quantity in \(item)") }
            let line = order.lineItems[index]
            guard quantity + quantities[id, default: 0] <= line.quantity - line.fulfilled - line.cancelled else {
                throw AdminError(
                    status: 409,
                    message: "line item \(id) has only \(line.quantity - line.fulfilled - line.cancelled) unit(s) left to fulfil"
                )
            }
            quantities[id, default: 0] += quantity
        }
        for (id, quantity) in quantities { order.lineItems[order.lineItems.firstIndex { $0.id == id }!].fulfilled += quantity }
        state.nextID += 1
        let numbers = (fulfillment["tracking_numbers"] as? [String]) ?? [(fulfillment["tracking_number"] as? String)].compactMap(\.self)
        order.fulfillments.append(
            .init(
                id: state.nextID,
                trackingCompany: fulfillment["tracking_company"] as? String ?? "",
                trackingNumbers: numbers,
                lineItems: quantities,
                shipmentStatus: nil
            )
        )
        state.orders[orderID] = order
        state.counters.fulfillments += 1
        return [
            "fulfillment": [
                "id": state.nextID, "order_id": orderID, "status": "success", "tracking_company": fulfillment["tracking_company"] ?? NSNull(),
                "tracking_numbers": numbers,
            ] as [String: Any]
        ]
    }

    /// `POST orders/{id}/fulfillments/{fulfillment_id}/events.json`.
    static func fulfillmentEvent(_ orderID: Int64, _ fulfillmentID: Int64, _ json: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        var order = try order(orderID, state)
        guard let index = order.fulfillments.firstIndex(where: { $0.id == fulfillmentID }) else {
            throw AdminError(status: 404, message: "fulfillment \(fulfillmentID) not found on order \(orderID)")
        }
        guard let event = json["event"] as? [String: Any], let status = event["status"] as? String else {
            throw AdminError(status: 422, message: "event.status is required")
        }
        if order.fulfillments[index].shipmentStatus == "delivered" && status != "delivered" {
            throw AdminError(status: 409, message: "fulfillment \(fulfillmentID) is already delivered")
        }
        order.fulfillments[index].shipmentStatus = status
        state.orders[orderID] = order
        state.counters.fulfillmentEvents += 1
        state.nextID += 1
        return ["fulfillment_event": ["id": state.nextID, "fulfillment_id": fulfillmentID, "order_id": orderID, "status": status] as [String: Any]]
    }

    /// `POST orders/{id}/cancel.json`.
    static func cancel(_ orderID: Int64, _ json: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        var order = try order(orderID, state)
        guard order.cancelledAt == nil else { throw AdminError(status: 409, message: "order \(orderID) is already cancelled") }
        guard order.lineItems.allSatisfy({ $0.fulfilled == 0 }) else {
            throw AdminError(status: 422, message: "order \(orderID) has fulfillments and cannot be cancelled")
        }
        order.cancelledAt = JSONCoding.format(Date())
        order.cancelReason = json["reason"] as? String
        for index in order.lineItems.indices { order.lineItems[index].cancelled = order.lineItems[index].quantity }
        state.orders[orderID] = order
        state.counters.cancellations += 1
        return ["order": ["id": orderID, "cancelled_at": order.cancelledAt ?? "", "cancel_reason": order.cancelReason ?? "other"] as [String: Any]]
    }

    /// `POST orders/{id}/refunds.json`: `restock_type` `cancel` for units not shipped, `return` or `no_restock` for
    /// units shipped.
    static func refund(_ orderID: Int64, _ json: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        var order = try order(orderID, state)
        guard let refund = json["refund"] as? [String: Any], let items = refund["refund_line_items"] as? [[String: Any]] else {
            throw AdminError(status: 422, message: "refund.refund_line_items is required")
        }
        for item in items {
            guard let id = int64(item["line_item_id"]), let quantity = item["quantity"] as? Int, quantity > 0,
                let index = order.lineItems.firstIndex(where: { $0.id == id })
            else { throw AdminError(status: 422, message: "unknown line item or bad quantity in \(item)") }
            let line = order.lineItems[index]
            switch item["restock_type"] as? String ?? "no_restock" {
            case "cancel":
                guard quantity <= line.quantity - line.fulfilled - line.cancelled else {
                    throw AdminError(status: 409, message: "line item \(id) has no \(quantity) unfulfilled unit(s) left to cancel")
                }
                order.lineItems[index].cancelled += quantity
            case let type:
                guard quantity <= line.fulfilled - line.refunded else {
                    throw AdminError(status: 409, message: "line item \(id) has no \(quantity) fulfilled unit(s) left to refund")
                }
                order.lineItems[index].refunded += quantity
                if type == "return" { order.lineItems[index].returned += quantity }
            }
        }
        let amount = (refund["transactions"] as? [[String: Any]] ?? []).reduce(Int64(0)) { $0 + (cents($1["amount"]) ?? 0) }
        if items.contains(where: { $0["restock_type"] as? String == "cancel" }) {
            order.cancellationRefunds += amount
        } else {
            order.creditedAmount += amount
        }
        state.orders[orderID] = order
        state.counters.refunds += 1
        state.nextID += 1
        return ["refund": ["id": state.nextID, "order_id": orderID] as [String: Any]]
    }

    /// An id sent as a number or a string.
    static func int64(_ value: Any?) -> Int64? {
        if let number = value as? Int64 { return number }
        if let number = value as? Int { return Int64(number) }
        if let text = value as? String { return Int64(text) }
        return nil
    }

    /// A decimal amount (`"12.34"` or 12.34) in cents.
    static func cents(_ value: Any?) -> Int64? {
        let text = (value as? String) ?? (value as? NSNumber)?.stringValue
        guard let text, let decimal = Decimal(string: text) else { return nil }
        return NSDecimalNumber(decimal: decimal * 100).rounding(accordingToBehavior: nil).int64Value
    }
}

/// A parsed JSON request handed into a lock: only read there, by one caller.
struct JSONBox: @unchecked Sendable {
    let value: [String: Any]

    init(_ value: [String: Any]) { self.value = value }
}
