import CrossdockDomain
import Foundation

/// The rows a unit of work competes for: the SKUs whose balances it moves, the customers whose credit it reserves and
/// the aggregates it updates at a version. A command that keeps losing its guards is committed again with these keys
/// held (``Store/commitSerialized(_:_:)``), so no other writer can change them between its read and its commit.
public struct ContentionKeys: Hashable, Sendable {
    /// `kind:id` strings, e.g. `sku:SKU-1`, `customer:C-1`, `order:0190…`.
    public private(set) var names: Set<String>

    /// No keys.
    public init(names: Set<String> = []) { self.names = names }

    /// The keys `unit` competes for.
    public init(_ unit: UnitOfWork) {
        var names = Set<String>()
        for change in unit.inventory { names.insert("sku:\(change.sku)") }
        for setting in unit.safetyStock { names.insert("sku:\(setting.sku)") }
        for reservation in unit.creditReservations { names.insert("customer:\(reservation.customerID)") }
        for change in unit.creditChanges { names.insert("customer:\(change.customerID)") }
        for write in unit.orders where write.expectedVersion != nil { names.insert("order:\(write.value.id)") }
        for write in unit.fulfillments where write.expectedVersion != nil { names.insert("fulfillment:\(write.value.id)") }
        for write in unit.shipments where write.expectedVersion != nil { names.insert("shipment:\(write.value.id)") }
        for write in unit.receipts where write.expectedVersion != nil { names.insert("receipt:\(write.value.id)") }
        for write in unit.returns where write.expectedVersion != nil { names.insert("return:\(write.value.id)") }
        for write in unit.exceptions where write.expectedVersion != nil { names.insert("exception:\(write.value.id)") }
        self.names = names
    }

    /// Whether there is nothing to hold.
    public var isEmpty: Bool { names.isEmpty }

    /// Adds `other`'s keys; returns whether any was new.
    @discardableResult
    public mutating func formUnion(_ other: ContentionKeys) -> Bool {
        let before = names.count
        names.formUnion(other.names)
        return names.count != before
    }

    /// Whether every key of `other` is held here.
    public func covers(_ other: ContentionKeys) -> Bool { other.names.isSubset(of: names) }

    /// 64-bit lock ids (FNV-1a of each name), ascending, so every holder takes them in the same order.
    public var lockIDs: [Int64] {
        Array(Set(names.map(Self.lockID))).sorted()
    }

    /// The FNV-1a hash of `name` as a signed 64-bit lock id.
    public static func lockID(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
