extension FunctionalAcknowledgment {
    /// The 997 structure (004010 and 005010): AK1, AK2 loops (AK3 loops with AK4s, AK5), AK9.
    public static let schema = TransactionSetSchema(
        id: "997",
        functionalID: "FA",
        nodes: [
            .segment("AK1", mandatory: true, max: 1),
            .loop(
                "AK2",
                mandatory: false,
                max: TransactionSetSchema.unbounded,
                [
                    .segment("AK2", mandatory: true, max: 1),
                    .loop(
                        "AK3",
                        mandatory: false,
                        max: TransactionSetSchema.unbounded,
                        [.segment("AK3", mandatory: true, max: 1), .segment("AK4", mandatory: false, max: 99)]
                    ),
                    .segment("AK5", mandatory: true, max: 1),
                ]
            ),
            .segment("AK9", mandatory: true, max: 1),
        ],
        specs: [
            SegmentSpec("AK1", [.m(479, .identifier, 2, 2), .m(28, ElementSpec.n0, 1, 9), .o(480, .string, 1, 12)]),
            SegmentSpec("AK2", [.m(143, .identifier, 3, 3), .m(329, .string, 4, 9), .o(1705, .string, 1, 35)]),
            SegmentSpec(
                "AK3",
                [.m(721, .identifier, 2, 3), .m(719, ElementSpec.n0, 1, 10), .o(447, .string, 1, 4), .o(720, .identifier, 1, 3, codes: segmentCodes)]
            ),
            SegmentSpec(
                "AK4",
                [.m(722, .composite, 1, 2), .o(725, ElementSpec.n0, 1, 4), .m(723, .identifier, 1, 3, codes: elementCodes), .o(724, .string, 1, 99)]
            ),
            SegmentSpec("AK5", [.m(717, .identifier, 1, 1, codes: setStatuses)] + Array(repeating: .o(718, .identifier, 1, 3), count: 5)),
            SegmentSpec(
                "AK9",
                [
                    .m(715, .identifier, 1, 1, codes: groupStatuses), .m(97, ElementSpec.n0, 1, 6), .m(123, ElementSpec.n0, 1, 6),
                    .m(2, ElementSpec.n0, 1, 6),
                ]
                    + Array(repeating: .o(716, .identifier, 1, 3), count: 5)
            ),
        ]
    )

    private static let segmentCodes: Set<String> = ["1", "2", "3", "4", "5", "6", "7", "8"]
    private static let elementCodes: Set<String> = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13"]
    private static let setStatuses: Set<String> = ["A", "E", "M", "R", "W", "X"]
    private static let groupStatuses: Set<String> = ["A", "E", "M", "P", "R", "W", "X"]

    /// The 997 as a transaction set (ST02 `0001`; the serializer assigns the real control number).
    public func transactionSet() -> X12TransactionSet {
        var segments = [X12Segment("AK1", optionals: [functionalID, String(groupControlNumber), version])]
        for set in sets {
            segments.append(X12Segment("AK2", optionals: [set.setID, set.controlNumber, set.implementationConventionReference]))
            for note in set.segments {
                segments.append(X12Segment("AK3", optionals: [note.segmentID, String(note.position), note.loopID, note.code]))
                for element in note.elements {
                    let position = String(element.position) + (element.componentPosition.map { ">\($0)" } ?? "")
                    segments.append(X12Segment("AK4", optionals: [position, element.dataElement.map(String.init), element.code, element.badValue]))
                }
            }
            segments.append(X12Segment("AK5", optionals: [set.status.rawValue] + set.codes.prefix(5).map { $0 }))
        }
        segments.append(
            X12Segment(
                "AK9",
                optionals: [status.rawValue, String(includedCount), String(receivedCount), String(acceptedCount)] + codes.prefix(5).map { $0 }
            )
        )
        return X12TransactionSet(id: "997", controlNumber: "0001", segments: segments)
    }

    /// Reads a 997.
    /// - Parameters:
    ///   - set: the transaction set.
    ///   - strictness: `.strict` by default.
    /// - Throws: every syntax error of the set.
    public static func decode(_ set: X12TransactionSet, strictness: X12Strictness = .strict) throws(X12SetRejection) -> FunctionalAcknowledgment {
        let errors = schema.errors(in: set, strictness)
        guard errors.isEmpty else { throw X12SetRejection(errors) }
        var result = FunctionalAcknowledgment(
            functionalID: "",
            groupControlNumber: 0,
            sets: [],
            status: .rejected,
            includedCount: 0,
            receivedCount: 0,
            acceptedCount: 0
        )
        func number(_ s: X12Segment, _ n: Int) -> Int { ASCII.number(s.value(n) ?? "") ?? 0 }
        for segment in set.segments {
            switch segment.id {
            case "AK1":
                result.functionalID = segment.value(1) ?? ""
                result.groupControlNumber = number(segment, 2)
                result.version = segment.value(3)
            case "AK2":
                result.sets.append(
                    SetResponse(
                        setID: segment.value(1) ?? "",
                        controlNumber: segment.value(2) ?? "",
                        implementationConventionReference: segment.value(3),
                        status: .rejected
                    )
                )
            case "AK3":
                let note = SegmentNote(
                    segmentID: segment.value(1) ?? "",
                    position: number(segment, 2),
                    loopID: segment.value(3),
                    code: segment.value(4)
                )
                result.sets[result.sets.count - 1].segments.append(note)
            case "AK4":
                let position = segment.element(1)
                let note = ElementNote(
                    position: ASCII.number(position?.component(1) ?? "") ?? 0,
                    componentPosition: position?.component(2).flatMap(ASCII.number),
                    dataElement: segment.value(2).flatMap(ASCII.number),
                    code: segment.value(3) ?? "",
                    badValue: segment.value(4)
                )
                let s = result.sets.count - 1
                result.sets[s].segments[result.sets[s].segments.count - 1].elements.append(note)
            case "AK5":
                let s = result.sets.count - 1
                result.sets[s].status = Status(rawValue: segment.value(1) ?? "") ?? .rejected
                result.sets[s].codes = (2...6).compactMap { segment.value($0) }
            case "AK9":
                result.status = Status(rawValue: segment.value(1) ?? "") ?? .rejected
                result.includedCount = number(segment, 2)
                result.receivedCount = number(segment, 3)
                result.acceptedCount = number(segment, 4)
                result.codes = (5...9).compactMap { segment.value($0) }
            default:
                break
            }
        }
        return result
    }
}
