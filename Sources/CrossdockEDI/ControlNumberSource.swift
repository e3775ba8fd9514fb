/// Which envelope a control number is for.
public enum ControlNumberKind: String, Hashable, Sendable, CaseIterable {
    /// ISA13/IEA02: 9 digits, unique per sender and partner.
    case interchange
    /// GS06/GE02: 1 to 9 digits, unique within the interchange.
    case group
    /// ST02/SE02: 4 to 9 characters, unique within the group (the serializer writes at least 4 digits).
    case set
}

/// Hands out envelope control numbers: the persistent store keeps one sequence per kind and partner so numbers never
/// repeat across restarts; ``InMemoryControlNumberSource`` serves tests.
public protocol ControlNumberSource: Sendable {
    /// The next control number for `kind` and `partner`.
    /// - Parameters:
    ///   - kind: interchange, group or set.
    ///   - partner: the trading partner key; the serializer passes `ISA07:ISA08` (receiver qualifier and ID).
    /// - Returns: a number in 1...999999999.
    func next(kind: ControlNumberKind, partner: String) async throws -> Int
}
