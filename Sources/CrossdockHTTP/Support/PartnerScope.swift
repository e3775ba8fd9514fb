import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import HTTPTypes

/// Partner isolation: what a key bound to one partner (``APIKeyRecord/partner``) may see and touch.
///
/// Such a key sees the orders of its own channel (an order belongs to the partner its channel reference names), their
/// fulfilment orders, shipments, documents and events, its own partner profile and X12 documents, and the subscriptions
/// it created with their deliveries. Anything else answers 404, exactly as if it did not exist. Fulfilment-side partners
/// (a WMS, a 3PL: keys holding `fulfillment:write`) reach the fulfilment orders and shipments of the warehouses they
/// operate (``Warehouse/partner``) and of warehouses that name no operator. Hub-wide views and master-data writes need a
/// key bound to no partner.
extension CrossdockContext {
    /// The partner the caller's key is bound to; nil for a hub-wide key.
    var boundPartner: String? { principal?.partner }

    /// Whether the caller may see `order`.
    func canSee(_ order: SalesOrder) -> Bool {
        guard let partner = boundPartner else { return true }
        return order.channelRef?.partner == partner
    }

    /// Whether the caller may see the subscription.
    func canSee(_ subscription: Subscription) -> Bool {
        guard let partner = boundPartner else { return true }
        return subscription.partner == partner
    }

    /// Whether the caller may see documents exchanged with `partnerID`.
    func canSee(partnerID: String) -> Bool {
        boundPartner.map { $0 == partnerID } ?? true
    }

    /// Whether the caller may see order `orderID` (false for a partner-bound key when it does not exist); reads the
    /// order only for a partner-bound key.
    func canSee(orderID: String, in store: any Store) async throws -> Bool {
        guard boundPartner != nil else { return true }
        return try await store.order(orderID).map(canSee) ?? false
    }

    /// The order `id` when the caller may see it; otherwise 404, as for an order that does not exist.
    func visibleOrder(_ id: String, in store: any Store) async throws -> SalesOrder {
        guard let order = try await store.order(id), canSee(order) else { throw notFound("order", id) }
        return order
    }

    /// The subscription `id` when the caller may see it; otherwise 404.
    func visibleSubscription(_ id: String, in store: any Store) async throws -> Subscription {
        guard let subscription = try await store.subscription(id), canSee(subscription) else { throw notFound("subscription", id) }
        return subscription
    }

    /// Throws 404 (as for a missing `kind` `id`) unless the caller may reach `fulfillment`: the partner of its order's
    /// channel, or a fulfilment-side partner (a key with `fulfillment:write`) when the warehouse names that partner as
    /// its operator or names none.
    func requireAccess(to fulfillment: FulfillmentOrder, kind: String, id: String, in store: any Store) async throws {
        guard let principal, let partner = principal.partner else { return }
        if APIKeys.grants(principal, .fulfillmentWrite) {
            let operatedBy = try await store.warehouses().first { $0.id == fulfillment.warehouseID }?.partner
            if operatedBy == nil || operatedBy == partner { return }
        }
        guard try await canSee(orderID: fulfillment.orderID, in: store) else { throw notFound(kind, id) }
    }

    /// Throws 403 when the caller's key is bound to a partner: `what` is a hub-wide view or change.
    func requireHubWide(_ what: String) throws(Problem) {
        guard let partner = boundPartner else { return }
        throw Problem(
            status: .forbidden,
            code: "partner_bound_key",
            title: "A partner-bound key cannot use a hub-wide route",
            detail: "\(what) spans every partner; this key is bound to partner '\(partner)'",
            extra: ["partner": .string(partner)]
        )
    }
}
