/// One data element, split on demand into repetitions and components.
///
/// A simple element is one component of one repetition. A composite (`C040` in `REF04`) splits on the component
/// separator (ISA16); a repeated element (version 00402+) splits on the repetition separator (ISA11) first.
///
/// Equality is by ``structure``, like ``X12Segment``'s.
public struct X12Element: Hashable, Sendable {
    /// The element as written, with its separators.
    public var raw: String
    /// The delimiters the raw value is written with.
    public var delimiters: X12Delimiters

    /// Creates an element view.
    /// - Parameters:
    ///   - raw: the element as written.
    ///   - delimiters: its delimiters; `.standard` by default.
    public init(_ raw: String, delimiters: X12Delimiters = .standard) {
        self.raw = raw
        self.delimiters = delimiters
    }

    /// Whether the element is empty (absent in the segment).
    public var isEmpty: Bool { raw.isEmpty }

    /// The repetitions of a repeated element; one repetition (the whole element) when the interchange has no repetition
    /// separator or the element is not repeated.
    public var repetitions: [X12Element] {
        guard let separator = delimiters.repetitionByte else { return [self] }
        return ASCII.split(raw, on: separator).map { X12Element($0, delimiters: delimiters.withoutRepetition) }
    }

    /// The components of a composite element, split on the component separator; one component for a simple element.
    /// Call ``repetitions`` first on a repeated composite.
    public var components: [String] {
        ASCII.split(raw, on: delimiters.componentByte)
    }

    /// The component at a 1-based position, or `nil` when it is absent or empty.
    /// - Parameter position: 1 for the first component.
    public func component(_ position: Int) -> String? {
        let components = components
        guard position >= 1, position <= components.count, !components[position - 1].isEmpty else { return nil }
        return components[position - 1]
    }

    /// Repetitions of components, without trailing empty components or repetitions.
    public var structure: [[String]] {
        var result: [[String]] = repetitions.map { repetition in
            var components = repetition.components
            while components.last?.isEmpty == true { components.removeLast() }
            return components
        }
        while let last = result.last, last.isEmpty { result.removeLast() }
        return result
    }

    /// Elements are equal when their ``structure`` is equal.
    public static func == (lhs: X12Element, rhs: X12Element) -> Bool { lhs.structure == rhs.structure }

    /// Hashes the ``structure``.
    public func hash(into hasher: inout Hasher) { hasher.combine(structure) }
}
