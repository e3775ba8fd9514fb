import CrossdockDomain

/// Reads of the whole catalogue, for feeds that publish it (the marketplace pull feed). Part of ``Store``.
public protocol CatalogStore: Sendable {
    /// Every product, by SKU.
    func products() async throws -> [Product]
}
