/// Human-facing numbers for documents the hub issues (invoices, credit memos, return authorisations).
///
/// The number is the document's prefix and the last 12 hex digits (48 random bits) of its UUIDv7 id, upper case:
/// unique without a shared counter, so it is fixed before the commit. The ERP, the system of record for
/// financial documents, may keep its own numbering; the hub's number is the cross-reference.
public enum DocumentNumber {
    /// `prefix-XXXXXXXXXXXX` from `id`.
    /// - Parameters:
    ///   - prefix: e.g. `INV`, `CM`, `RMA`.
    ///   - id: the document's id.
    public static func make(_ prefix: String, id: String) -> String {
        let hex = id.filter(\.isHexDigit)
        return "\(prefix)-\(hex.suffix(12).uppercased())"
    }
}
