/// How strictly a decoder checks a transaction set before reading it.
public enum X12Strictness: Hashable, Sendable {
    /// Every syntax error rejects the set: structure, element types and lengths, code lists, syntax notes. Inbound
    /// documents are read this way, and their errors go into the 997.
    case strict
    /// Only structural errors (unexpected, missing, misplaced or repeated segments) reject the set; element errors are
    /// ignored and values are read as they stand. For diagnostics and for documents the hub only displays.
    case structureOnly
}

extension TransactionSetSchema {
    /// The errors that reject `set` under `strictness`, plus one when `set` is not this schema's kind.
    func errors(in set: X12TransactionSet, _ strictness: X12Strictness) -> [X12SetError] {
        guard set.id == id else {
            return [
                X12SetError(
                    code: "wrong_transaction_set",
                    message: "the set is a \(set.id), not a \(id)",
                    segmentID: "ST",
                    setPosition: 1,
                    interchangePosition: set.segments.first?.position.map { $0.segment - 1 },
                    elementPosition: 1,
                    dataElement: 143
                )
            ]
        }
        let all = validate(set)
        return strictness == .strict ? all : all.filter { $0.segmentCode != .hasElementErrors }
    }
}

extension X12Segment {
    /// A segment from optional values: `nil` is an empty element; trailing empties are dropped.
    init(_ id: String, optionals: [String?]) {
        var values = optionals.map { $0 ?? "" }
        while values.last?.isEmpty == true { values.removeLast() }
        self.init(id, values)
    }
}

extension X12TransactionSet {
    /// The interchange position of the body segment at `index`, when the set was read from text.
    func interchangePosition(_ index: Int) -> Int? { segments[index].position?.segment }

    /// An error about the body segment at `index` that no syntax rule covers (a mapping or content problem).
    func error(
        _ code: String,
        _ message: String,
        at index: Int,
        element: Int? = nil,
        dataElement: Int? = nil,
        elementCode: X12SetError.ElementCode? = nil,
        loopID: String? = nil
    ) -> X12SetError {
        let segment = segments[index]
        return X12SetError(
            code: code,
            message: message,
            segmentID: segment.id,
            setPosition: index + 2,
            interchangePosition: segment.position?.segment,
            loopID: loopID,
            elementPosition: element,
            dataElement: dataElement,
            segmentCode: elementCode == nil ? nil : .hasElementErrors,
            elementCode: elementCode,
            badValue: element.flatMap { segment.value($0) }
        )
    }
}
