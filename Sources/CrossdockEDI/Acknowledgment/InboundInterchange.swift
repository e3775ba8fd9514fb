/// Reads an inbound interchange end to end: envelope checks, each set through its decoder, and the 997 for each group.
///
/// ```swift
/// let reading = InboundInterchange.read(text)
/// for document in reading.acceptedDocuments { ... }                 // book 850s, record 945s and 997s
/// let acks = reading.acknowledgment()                              // [X12TransactionSet], one 997 per group
/// ```
///
/// 997 rules: each set gets an AK2 loop. A set is accepted (`A`) when its envelope and its decoder found nothing, else
/// rejected (`R`) with AK502 codes: `1` no decoder for ST01, `2` no SE, `3` SE02 ≠ ST02, `4` SE01 wrong, `5` syntax
/// errors (with their AK3/AK4), `6` ST01 not of the group's GS01 (or not what the decoder reads), `7` ST02 invalid, `23`
/// ST02 repeated. A group is `A` when every set is, `P` when some are, `R` when none is or the group itself is at fault,
/// with AK905 codes `3` no GE, `4` GE02 ≠ GS06, `5` GE01 wrong, `6` GS06 repeated or invalid. An interchange-level
/// error (ISA/IEA) rejects every set and group.
public enum InboundInterchange {
    /// Reads `text`.
    /// - Parameters:
    ///   - text: one interchange.
    ///   - decoders: the decoders by ST01; ``X12DocumentDecoders/standard`` by default.
    public static func read(_ text: String, decoders: X12DocumentDecoders = .standard) -> InboundReading {
        let outcome = X12EnvelopeValidator.read(text)
        guard let interchange = outcome.interchange else {
            return InboundReading(interchange: nil, interchangeErrors: outcome.errors, groups: [])
        }
        let layout = EnvelopeLayout(outcome.segments)
        var interchangeErrors: [X12Error] = []
        var groupErrors: [Int: [X12Error]] = [:]
        var setErrors: [Int: [Int: [X12Error]]] = [:]
        for error in outcome.errors {
            switch layout.place(error.segmentPosition) {
            case .set(let g, let s): setErrors[g, default: [:]][s, default: []].append(error)
            case .group(let g): groupErrors[g, default: []].append(error)
            case .interchange: interchangeErrors.append(error)
            }
        }
        let rejectAll = !interchangeErrors.isEmpty
        var groups: [InboundReading.GroupReading] = []
        for (g, group) in interchange.groups.enumerated() {
            let frame = g < layout.groups.count ? layout.groups[g] : EnvelopeLayout.Group(gs: 0, end: 0, ge01: nil, sets: [])
            var sets: [InboundReading.SetReading] = []
            for (s, set) in group.transactionSets.enumerated() {
                let position = s < frame.sets.count ? frame.sets[s].st : 0
                sets.append(readSet(set, in: group, position: position, envelope: setErrors[g]?[s] ?? [], decoders: decoders, rejectAll: rejectAll))
            }
            let errors = groupErrors[g] ?? []
            groups.append(
                InboundReading.GroupReading(
                    group: group,
                    position: frame.gs,
                    envelopeErrors: errors,
                    sets: sets,
                    acknowledgment: acknowledge(group, sets: sets, errors: errors, included: frame.ge01, rejectAll: rejectAll)
                )
            )
        }
        return InboundReading(interchange: interchange, interchangeErrors: interchangeErrors, groups: groups)
    }

    private static func readSet(
        _ set: X12TransactionSet,
        in group: X12FunctionalGroup,
        position: Int,
        envelope: [X12Error],
        decoders: X12DocumentDecoders,
        rejectAll: Bool
    ) -> InboundReading.SetReading {
        var codes: [String] = envelope.compactMap(setCode)
        var document: X12Document?
        var errors: [X12SetError] = []
        if let decode = decoders.decoders[set.id] {
            do throws(X12SetRejection) {
                document = try decode(set)
            } catch {
                errors = error.errors
                if errors.contains(where: \.isSyntaxError) { codes.append("5") }
                if errors.contains(where: { $0.code == "wrong_transaction_set" }) { codes.append("6") }
            }
        } else {
            codes.append("1")
        }
        if let expected = X12DocumentDecoders.functionalIDs[set.id], expected != group.functionalIdentifierCode { codes.append("6") }
        var unique: [String] = []
        for code in codes where !unique.contains(code) { unique.append(code) }
        let rejected = !unique.isEmpty || !errors.isEmpty || !envelope.isEmpty || rejectAll
        let response = FunctionalAcknowledgment.SetResponse(
            setID: set.id,
            controlNumber: set.controlNumber,
            implementationConventionReference: group.version >= "005010" ? set.implementationConventionReference : nil,
            segments: notes(errors),
            status: rejected ? .rejected : .accepted,
            codes: unique
        )
        return InboundReading.SetReading(
            set: set,
            position: position,
            envelopeErrors: envelope,
            document: document,
            errors: errors,
            response: response
        )
    }

    /// AK3/AK4 notes: one AK3 per segment-level error, one AK3 `8` with its AK4s per segment with element errors.
    static func notes(_ errors: [X12SetError]) -> [FunctionalAcknowledgment.SegmentNote] {
        var notes: [FunctionalAcknowledgment.SegmentNote] = []
        for error in errors where error.isSyntaxError {
            guard let code = error.segmentCode else { continue }
            if code == .hasElementErrors, let element = error.elementPosition, let elementCode = error.elementCode {
                let note = FunctionalAcknowledgment.ElementNote(
                    position: element,
                    dataElement: error.dataElement,
                    code: String(elementCode.rawValue),
                    badValue: error.badValue
                )
                if let last = notes.indices.last, notes[last].position == error.setPosition, notes[last].code == "8", notes[last].elements.count < 99
                {
                    notes[last].elements.append(note)
                } else {
                    notes.append(.init(segmentID: error.segmentID, position: error.setPosition, loopID: error.loopID, code: "8", elements: [note]))
                }
            } else {
                notes.append(.init(segmentID: error.segmentID, position: error.setPosition, loopID: error.loopID, code: String(code.rawValue)))
            }
        }
        return notes
    }

    private static func setCode(_ error: X12Error) -> String? {
        switch (error.code, error.segmentID, error.elementPosition) {
        case ("missing_trailer", _, _): "2"
        case ("control_number_mismatch", "SE", _): "3"
        case ("segment_count_mismatch", _, _): "4"
        case ("duplicate_control_number", _, _): "23"
        case (_, "ST", 1): "6"
        case (_, "ST", 2): "7"
        default: "5"
        }
    }

    private static func acknowledge(
        _ group: X12FunctionalGroup,
        sets: [InboundReading.SetReading],
        errors: [X12Error],
        included: Int?,
        rejectAll: Bool
    ) -> FunctionalAcknowledgment {
        var codes: [String] = []
        for error in errors {
            let code: String? =
                switch (error.code, error.segmentID, error.elementPosition) {
                case ("missing_trailer", _, _): "3"
                case ("control_number_mismatch", _, _): "4"
                case ("set_count_mismatch", _, _): "5"
                case ("duplicate_control_number", _, _), (_, "GS", 6): "6"
                default: nil
                }
            if let code, !codes.contains(code) { codes.append(code) }
        }
        let accepted = sets.filter { $0.response.status.isAccepted }.count
        let status: FunctionalAcknowledgment.Status =
            !errors.isEmpty || rejectAll || accepted == 0 ? .rejected : accepted == sets.count ? .accepted : .partiallyAccepted
        return FunctionalAcknowledgment(
            functionalID: group.functionalIdentifierCode,
            groupControlNumber: group.controlNumber,
            version: group.version >= "005010" ? group.version : nil,
            sets: sets.map(\.response),
            status: status,
            includedCount: included ?? sets.count,
            receivedCount: sets.count,
            acceptedCount: rejectAll || !errors.isEmpty ? 0 : accepted,
            codes: codes
        )
    }
}
