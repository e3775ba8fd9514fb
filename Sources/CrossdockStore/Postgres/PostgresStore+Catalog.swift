import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Every product, by SKU.
    public func products() async throws -> [Product] {
        try await withConnection { connection in
            try await connection.all(Data.self, "SELECT doc FROM products ORDER BY sku").map { try Self.decode(Product.self, $0) }
        }
    }

    /// Every price list, by id.
    public func priceLists() async throws -> [PriceList] {
        try await withConnection { connection in
            try await connection.all(Data.self, "SELECT doc FROM price_lists ORDER BY id").map { try Self.decode(PriceList.self, $0) }
        }
    }
}
