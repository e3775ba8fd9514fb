import CrossdockDomain
import Foundation

/// Shared builders for the billing tests.
enum BillingFixture {
    static let usd = Currency.usd
    /// 2026-03-02T15:00:00Z.
    static let issuedAt = Date(timeIntervalSince1970: 1_772_463_600)
    /// 8.875 % (New York City).
    static let nyc: Int64 = 88_750

    static func money(_ minorUnits: Int64) -> Money { Money(minorUnits, usd) }

    /// An invoice of order `O-1` with `(lineNo, quantity, unitPrice)` lines at one rate.
    static func invoice(
        _ id: String,
        lines: [(lineNo: Int, quantity: Int, unitPrice: Int64)],
        rate: Int64 = nyc,
        issuedAt: Date = issuedAt
    ) throws -> Invoice {
        try Invoicing.invoice(
            id: id,
            number: "INV-\(id)",
            orderID: "O-1",
            shipmentID: "S-\(id)",
            customerID: "C-1",
            customerPO: "PO-9",
            currency: usd,
            items: lines.map {
                Invoicing.Item(lineNo: $0.lineNo, sku: "SKU-\($0.lineNo)", quantity: $0.quantity, unitPrice: money($0.unitPrice), taxRatePPM: rate)
            },
            issuedAt: issuedAt,
            netDays: 30
        )
    }

    /// A credit memo for `quantities` against `invoices`, after `previous`.
    static func credit(
        _ quantities: [Int: Int],
        invoices: [Invoice],
        previous: [CreditMemo] = [],
        reason: CreditMemo.Reason = .return
    ) throws -> CreditMemo {
        try Crediting.creditMemo(
            id: "CM\(previous.count + 1)",
            number: "CM-\(previous.count + 1)",
            reason: reason,
            returnID: reason == .return ? "RMA-1" : nil,
            quantities: quantities,
            invoices: invoices,
            previousCredits: previous,
            issuedAt: issuedAt
        )
    }

    /// The error `body` throws, or `nil` when it does not throw a ``BillingError``.
    static func billingError<T>(_ body: () throws -> T) -> BillingError? {
        do {
            _ = try body()
            return nil
        } catch let error as BillingError {
            return error
        } catch {
            return nil
        }
    }
}

/// SplitMix64, for reproducible random splits inside property checks.
struct BillingRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: Int) { state = UInt64(truncatingIfNeeded: seed) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
