import CrossdockConnectors
import CrossdockEDI
import CrossdockStore
import Foundation

/// Reads partner profiles from the store and decodes them by kind.
public struct PartnerDirectory: Sendable {
    /// The kinds of partner the hub connects, and the profile each one's document decodes to.
    public enum Kind: String, Sendable, CaseIterable {
        /// An X12 trading partner (``TradingPartner``).
        case x12
        /// A Shopify shop sending `orders/create` webhooks.
        case shopify
        /// A Salesforce org sending orders.
        case salesforce
        /// A carrier or tracking aggregator sending tracking webhooks.
        case carrier
        /// A 3PL sending shipping confirmations as CSV.
        case csv
    }

    let store: any Store

    /// Creates a directory.
    public init(store: any Store) { self.store = store }

    /// The X12 partner `id`, if it exists and is one.
    public func tradingPartner(_ id: String) async throws -> TradingPartner? {
        guard let record = try await store.partner(id), record.kind == Kind.x12.rawValue else { return nil }
        return try JSONDecoder().decode(TradingPartner.self, from: record.document)
    }

    /// The X12 partner whose interchanges come from `qualifier`/`id` (ISA05/ISA06).
    public func tradingPartner(isaQualifier qualifier: String, isaID id: String) async throws -> TradingPartner? {
        for record in try await store.partners(kind: Kind.x12.rawValue) {
            let partner = try JSONDecoder().decode(TradingPartner.self, from: record.document)
            if partner.isaQualifier == qualifier && partner.isaID == id { return partner }
        }
        return nil
    }

    /// Every X12 partner.
    public func tradingPartners() async throws -> [TradingPartner] {
        try await store.partners(kind: Kind.x12.rawValue).map { try JSONDecoder().decode(TradingPartner.self, from: $0.document) }
    }

    /// The profile `id` of `kind`, decoded as `T`.
    public func profile<T: Decodable>(_ id: String, kind: Kind, as type: T.Type) async throws -> T? {
        guard let record = try await store.partner(id), record.kind == kind.rawValue else { return nil }
        return try JSONDecoder().decode(T.self, from: record.document)
    }

    /// Every profile of `kind`, decoded as `T`.
    public func profiles<T: Decodable>(kind: Kind, as type: T.Type) async throws -> [T] {
        try await store.partners(kind: kind.rawValue).map { try JSONDecoder().decode(T.self, from: $0.document) }
    }
}
