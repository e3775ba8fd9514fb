import CrossdockDomain

/// Reads of the whole catalogue, for what publishes it (the marketplace pull feed, the price calendar). Part of ``Store``.
public protocol CatalogStore: Sendable {
    /// Every product, by SKU.
    func products() async throws -> [Product]
    /// Every price list, by id.
    func priceLists() async throws -> [PriceList]
}
