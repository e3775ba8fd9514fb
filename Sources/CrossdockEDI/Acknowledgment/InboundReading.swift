/// What reading one inbound interchange gave: the envelope, each group and each set with its document or its errors,
/// and the 997s to send back. Made by ``InboundInterchange/read(_:decoders:)``.
public struct InboundReading: Sendable {
    /// One transaction set.
    public struct SetReading: Sendable {
        /// The set as read.
        public var set: X12TransactionSet
        /// The ST's position in the interchange (ISA = 1).
        public var position: Int
        /// Envelope errors inside the set (ST/SE: count, control number, missing SE...).
        public var envelopeErrors: [X12Error]
        /// The decoded document, when its decoder accepted it (even if the envelope did not: see ``isAccepted``).
        public var document: X12Document?
        /// The decoder's errors (syntax errors carry their 997 codes).
        public var errors: [X12SetError]
        /// The AK2 loop this set gets in the 997: status and AK3/AK4/AK5 codes.
        public var response: FunctionalAcknowledgment.SetResponse

        /// Whether the hub may act on ``document``: the set and its envelope are accepted.
        public var isAccepted: Bool { response.status.isAccepted && document != nil }
    }

    /// One functional group.
    public struct GroupReading: Sendable {
        /// The group as read (with its sets).
        public var group: X12FunctionalGroup
        /// The GS's position in the interchange.
        public var position: Int
        /// Envelope errors of the GS/GE (count, control number, missing GE...).
        public var envelopeErrors: [X12Error]
        /// The sets, in order.
        public var sets: [SetReading]
        /// The 997 for the group.
        public var acknowledgment: FunctionalAcknowledgment
    }

    /// The interchange, or `nil` when its ISA could not be read (see ``interchangeErrors``).
    public var interchange: X12Interchange?
    /// Errors of the interchange itself (ISA, IEA, byte order mark, segments outside any group); the first one is
    /// fatal when ``interchange`` is `nil`. Such errors call for a TA1; every group is then rejected in its 997.
    public var interchangeErrors: [X12Error]
    /// The groups, in order.
    public var groups: [GroupReading]

    /// Whether the hub may act on the interchange's accepted sets: it was read and has no interchange-level error.
    public var isProcessable: Bool { interchange != nil && interchangeErrors.isEmpty }

    /// The documents the hub may act on, in order: accepted sets of a processable interchange.
    public var acceptedDocuments: [X12Document] {
        guard isProcessable else { return [] }
        return groups.flatMap { $0.sets.filter(\.isAccepted).compactMap(\.document) }
    }

    /// The 997 values, one per group.
    public func acknowledgments() -> [FunctionalAcknowledgment] { groups.map(\.acknowledgment) }

    /// The 997 transaction sets, one per group (ST02 `0001`; the serializer numbers them). AK404 copies of bad data are
    /// cut to 99 characters and lose any character that is one of `delimiters` or a control character.
    /// - Parameter delimiters: the delimiters the 997s will be written with; `.standard` by default.
    public func acknowledgment(delimiters: X12Delimiters = .standard) -> [X12TransactionSet] {
        // What the 997 echoes from the partner's text (bad values, segment ids, loop ids) may hold anything: it is
        // cut to printable ASCII without the partner's delimiters or the ones the 997 is built with.
        func clean(_ value: String) -> String {
            String(
                String.UnicodeScalarView(
                    value.unicodeScalars.filter {
                        $0.value >= 0x20 && $0.value < 0x7F && !delimiters.isDelimiter(UInt8($0.value))
                            && !X12Delimiters.standard.isDelimiter(UInt8($0.value))
                    }
                )
            )
        }
        func identifier(_ value: String, _ length: ClosedRange<Int>) -> String? {
            let kept = String(
                value.unicodeScalars.filter { ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) }.map(Character.init)
            )
            return length.contains(kept.count) ? kept : nil
        }
        return acknowledgments().map { ack in
            var ack = ack
            ack.functionalID = clean(ack.functionalID)
            ack.version = ack.version.map(clean)
            for s in ack.sets.indices {
                ack.sets[s].setID = clean(ack.sets[s].setID)
                ack.sets[s].controlNumber = clean(ack.sets[s].controlNumber)
                ack.sets[s].implementationConventionReference = ack.sets[s].implementationConventionReference.map(clean)
                // An AK3 whose segment id cannot be written as an ID (2–3 letters or digits) is left out; AK5 still rejects.
                ack.sets[s].segments = ack.sets[s].segments.compactMap { note in
                    guard let id = identifier(note.segmentID, 2...3) else { return nil }
                    var note = note
                    note.segmentID = id
                    note.loopID = note.loopID.flatMap { identifier($0, 1...6) }
                    for e in note.elements.indices {
                        let bad = note.elements[e].badValue.map(clean)
                        note.elements[e].badValue = bad?.isEmpty == true ? nil : bad.map { String($0.prefix(99)) }
                    }
                    return note
                }
            }
            return ack.transactionSet()
        }
    }
}
