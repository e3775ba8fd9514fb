import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Every product, by SKU.
    public func products() async throws -> [Product] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT doc FROM products ORDER BY sku").map { try Self.decode(Product.self, $0["doc"]) }
        }
    }

    /// Every price list, by id.
    public func priceLists() async throws -> [PriceList] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT doc FROM price_lists ORDER BY id").map { try Self.decode(PriceList.self, $0["doc"]) }
        }
    }
}
