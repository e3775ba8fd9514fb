/// The dictionary entry of a segment: its elements in order and its syntax notes.
///
/// ```swift
/// let n1 = SegmentSpec("N1", [.m(98, .identifier, 2, 3), .o(93, .string, 1, 60), .o(66, .identifier, 1, 2), .o(67, .string, 2, 80)],
///                      rules: [.required(anyOf: [2, 3]), .paired([3, 4])])
/// ```
public struct SegmentSpec: Hashable, Sendable {
    /// The segment ID.
    public var id: String
    /// Element 1 first.
    public var elements: [ElementSpec]
    /// The syntax notes.
    public var rules: [SyntaxRule]

    /// Creates an entry.
    /// - Parameters:
    ///   - id: the segment ID.
    ///   - elements: the elements, element 1 first.
    ///   - rules: the syntax notes.
    public init(_ id: String, _ elements: [ElementSpec], rules: [SyntaxRule] = []) {
        self.id = id
        self.elements = elements
        self.rules = rules
    }

    /// `PO106`.
    public func name(_ position: Int) -> String { id + ASCII.zeroPadded(position, width: 2) }

    /// Every element error of `segment`: too many elements, mandatory missing, type, length, code list, syntax notes.
    /// At most one error per element (the first found).
    /// - Parameters:
    ///   - segment: the segment.
    ///   - setPosition: its position in the set (ST = 1).
    ///   - loopID: the loop it is in.
    public func check(_ segment: X12Segment, setPosition: Int, loopID: String?) -> [X12SetError] {
        var found: [Int: X12SetError] = [:]
        func report(_ position: Int, _ code: X12SetError.ElementCode, _ message: String) {
            guard found[position] == nil else { return }
            let spec = position <= elements.count ? elements[position - 1] : nil
            found[position] = X12SetError(
                code: "element_" + String(describing: code).snakeCased,
                message: message,
                segmentID: id,
                setPosition: setPosition,
                interchangePosition: segment.position?.segment,
                loopID: loopID,
                elementPosition: position,
                dataElement: spec?.dataElement,
                segmentCode: .hasElementErrors,
                elementCode: code,
                badValue: segment.value(position)
            )
        }
        if let extra = segment.elements.indices.last(where: { !segment.elements[$0].isEmpty }), extra >= elements.count {
            let position = (elements.count..<segment.elements.count).first { !segment.elements[$0].isEmpty }! + 1
            report(position, .tooManyElements, "\(id) has \(extra + 1) elements; the standard defines \(elements.count)")
        }
        for (index, spec) in elements.enumerated() {
            let position = index + 1
            guard let value = segment.value(position) else {
                if spec.isMandatory { report(position, .mandatoryMissing, "\(name(position)) is mandatory") }
                continue
            }
            if spec.type == .composite { continue }
            if let problem = spec.problem(with: value) {
                report(position, problem.code, "\(name(position)) \(ASCII.quote(value)) \(problem.reason)")
            }
        }
        let present: (Int) -> Bool = { segment.value($0) != nil }
        for rule in rules {
            for violation in rule.violations(present: present, name: name) {
                report(violation.element, violation.code, violation.reason)
            }
        }
        return found.keys.sorted().compactMap { found[$0] }
    }
}

extension String {
    /// `conditionalMissing` → `conditional_missing`.
    var snakeCased: String {
        var out = ""
        for c in self {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
