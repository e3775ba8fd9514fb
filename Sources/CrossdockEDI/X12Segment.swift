/// One segment: its ID and its data elements, as read (or as to be written).
///
/// `elements[0]` is the first data element (`BEG01`); the ID is not an element. Elements are kept raw: a composite or
/// repeated element still holds its separators, and ``element(_:)`` splits it on demand with the delimiters the segment
/// was read with.
///
/// Equality is by meaning: two segments are equal when their IDs are equal and their elements split into the same
/// repetitions and components, whatever delimiters each was read with and wherever it was read; trailing empty elements,
/// repetitions and components are ignored, as X12 omits them.
public struct X12Segment: Hashable, Sendable, CustomStringConvertible {
    /// The segment ID, e.g. `BEG`.
    public var id: String
    /// The data elements, raw; `elements[0]` is element 1.
    public var elements: [String]
    /// The delimiters the raw elements are written with.
    public var delimiters: X12Delimiters
    /// Where the segment was read, or `nil` for a segment built in code.
    public var position: X12Position?

    /// Creates a segment.
    /// - Parameters:
    ///   - id: the segment ID.
    ///   - elements: the raw data elements, element 1 first.
    ///   - delimiters: the delimiters composite and repeated elements are written with; `.standard` by default.
    ///   - position: where the segment was read, if it was.
    public init(_ id: String, _ elements: [String], delimiters: X12Delimiters = .standard, position: X12Position? = nil) {
        self.id = id
        self.elements = elements
        self.delimiters = delimiters
        self.position = position
    }

    /// The element at a 1-based position, or `nil` when the segment has fewer elements.
    /// - Parameter position: 1 for the first data element.
    public func element(_ position: Int) -> X12Element? {
        guard position >= 1, position <= elements.count else { return nil }
        return X12Element(elements[position - 1], delimiters: delimiters)
    }

    /// The raw value at a 1-based position, or `nil` when it is absent or empty.
    /// - Parameter position: 1 for the first data element.
    public func value(_ position: Int) -> String? {
        guard position >= 1, position <= elements.count, !elements[position - 1].isEmpty else { return nil }
        return elements[position - 1]
    }

    /// Elements split into repetitions and components, without trailing empties: the segment's meaning.
    public var structure: [[[String]]] {
        var result = elements.map { X12Element($0, delimiters: delimiters).structure }
        while let last = result.last, last.isEmpty { result.removeLast() }
        return result
    }

    /// `BEG*00*SA*PO1` with the segment's own element separator.
    public var description: String {
        ([id] + elements).joined(separator: String(delimiters.element))
    }

    /// Segments are equal when their IDs and ``structure`` are equal.
    public static func == (lhs: X12Segment, rhs: X12Segment) -> Bool {
        lhs.id == rhs.id && lhs.structure == rhs.structure
    }

    /// Hashes the ID and ``structure``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(structure)
    }
}
