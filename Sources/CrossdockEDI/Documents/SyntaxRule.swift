/// An X12 syntax note relating elements of one segment (1-based positions), e.g. `P0607` on PO1.
public enum SyntaxRule: Hashable, Sendable, CustomStringConvertible {
    /// `P`: if any of the elements is present, all are required.
    case paired([Int])
    /// `R`: at least one of the elements is required.
    case required(anyOf: [Int])
    /// `C`: if the first element is present, all the others are required.
    case conditional(Int, then: [Int])
    /// `L`: if the first element is present, at least one of the others is required.
    case listConditional(Int, anyOf: [Int])
    /// `E`: at most one of the elements may be present.
    case exclusion([Int])

    /// `P0607`, `R0203`, `C0302`, `L130304`, `E0102`.
    public var description: String {
        func code(_ letter: String, _ positions: [Int]) -> String {
            letter + positions.map { ASCII.zeroPadded($0, width: 2) }.joined()
        }
        switch self {
        case .paired(let p): return code("P", p)
        case .required(let p): return code("R", p)
        case .conditional(let first, let rest): return code("C", [first] + rest)
        case .listConditional(let first, let rest): return code("L", [first] + rest)
        case .exclusion(let p): return code("E", p)
        }
    }

    /// Pairs of consecutive elements from `first` to `last`: `pairs(6, 25)` is P0607, P0809, ..., P2425.
    public static func pairs(from first: Int, through last: Int) -> [SyntaxRule] {
        stride(from: first, to: last, by: 2).map { .paired([$0, $0 + 1]) }
    }

    /// The elements this rule finds at fault in a segment, with their AK403 code and a reason.
    /// - Parameters:
    ///   - present: whether the element at a 1-based position holds a value.
    ///   - name: the element's name (`PO106`).
    func violations(present: (Int) -> Bool, name: (Int) -> String) -> [(element: Int, code: X12SetError.ElementCode, reason: String)] {
        func names(_ p: [Int]) -> String { p.map(name).joined(separator: ", ") }
        switch self {
        case .paired(let p):
            let given = p.filter(present)
            guard !given.isEmpty else { return [] }
            return p.filter { !present($0) }.map {
                ($0, .conditionalMissing, "\(name($0)) is required because \(names(given)) is present (\(self))")
            }
        case .required(let p):
            guard !p.contains(where: present), let first = p.first else { return [] }
            return [(first, .conditionalMissing, "at least one of \(names(p)) is required (\(self))")]
        case .conditional(let first, let rest):
            guard present(first) else { return [] }
            return rest.filter { !present($0) }.map {
                ($0, .conditionalMissing, "\(name($0)) is required because \(name(first)) is present (\(self))")
            }
        case .listConditional(let first, let rest):
            guard present(first), !rest.contains(where: present), let target = rest.first else { return [] }
            return [(target, .conditionalMissing, "one of \(names(rest)) is required because \(name(first)) is present (\(self))")]
        case .exclusion(let p):
            let given = p.filter(present)
            guard given.count > 1 else { return [] }
            return given.dropFirst().map { ($0, .exclusionViolated, "only one of \(names(p)) may be present (\(self))") }
        }
    }
}
