/// Checks an interchange's envelope and reports every error, in segment order.
///
/// Checks: the ISA is 106 characters with the standard's fixed widths and valid delimiters, its values have the right
/// format (ISA13 numeric...); IEA01 is the number of functional groups and IEA02 equals ISA13; every GS has a GE with
/// GE01 the number of transaction sets and GE02 equal to GS06; every ST has an SE with SE01 the number of segments from
/// ST to SE inclusive and SE02 equal to ST02; no segment sits outside an envelope or after IEA; group control numbers
/// are unique in the interchange and set control numbers unique in their group; envelope elements have their
/// standard formats and hold no component or repetition separator.
///
/// After a missing trailer the validator closes the open set or group and goes on, so one defect does not hide the next.
/// Only a text whose delimiters cannot be read (`missing_isa`, a truncated ISA, `invalid_delimiter`) stops it.
public enum X12EnvelopeValidator {
    /// Every envelope error in `text`, sorted by segment and element position; empty when the interchange is valid.
    /// - Parameter text: the interchange.
    public static func validate(_ text: String) -> [X12Error] {
        read(text).errors
    }

    /// What reading an interchange gives: the structure (when no error stopped reading) and every error.
    struct Outcome {
        var interchange: X12Interchange?
        var delimiters: X12Delimiters?
        var segments: [X12Segment]
        var errors: [X12Error]
    }

    /// Reads and checks `text`.
    static func read(_ text: String) -> Outcome {
        let bytes = Array(text.utf8)
        var errors: [X12Error] = []
        let (start, bom) = ISAHeaderReader.start(of: bytes)
        if let bom { errors.append(bom) }
        let header: ISAHeaderReader.Header
        do {
            header = try ISAHeaderReader.read(bytes, from: start)
        } catch {
            return Outcome(interchange: nil, delimiters: nil, segments: [], errors: sorted(errors + [error]))
        }
        errors += header.errors
        let delimiters = header.delimiters
        let isa = X12Segment("ISA", header.elements, delimiters: delimiters, position: X12Position(segment: 1, byteOffset: start))
        let scan = X12Tokenizer(delimiters: delimiters).scan(bytes, from: header.end, firstSegment: 2)
        errors += scan.errors
        var walker = EnvelopeWalker(isa: isa, delimiters: delimiters)
        for segment in scan.segments { walker.visit(segment) }
        walker.finish()
        errors += walker.errors
        return Outcome(interchange: walker.interchange, delimiters: delimiters, segments: [isa] + scan.segments, errors: sorted(errors))
    }

    /// Sorts by segment, then element (segment-level errors first), keeping the order of discovery otherwise.
    static func sorted(_ errors: [X12Error]) -> [X12Error] {
        errors.enumerated().sorted { a, b in
            let left = (a.element.segmentPosition, a.element.elementPosition ?? 0, a.offset)
            let right = (b.element.segmentPosition, b.element.elementPosition ?? 0, b.offset)
            return left < right
        }.map(\.element)
    }
}

/// Walks the segments after the ISA, building groups and sets and collecting envelope errors.
private struct EnvelopeWalker {
    struct OpenGroup {
        var gs: X12Segment
        var group: X12FunctionalGroup
        var setControlNumbers: Set<String> = []
    }

    struct OpenSet {
        var st: X12Segment
        var set: X12TransactionSet
    }

    let isa: X12Segment
    let delimiters: X12Delimiters
    var header: X12InterchangeHeader
    var groups: [X12FunctionalGroup] = []
    var acknowledgments: [X12Segment] = []
    var groupControlNumbers: Set<String> = []
    var openGroup: OpenGroup?
    var openSet: OpenSet?
    /// An ST outside any group: its segments are skipped (reported once) until its SE.
    var orphan: X12Segment?
    var iea: X12Segment?
    var errors: [X12Error] = []

    init(isa: X12Segment, delimiters: X12Delimiters) {
        self.isa = isa
        self.delimiters = delimiters
        let e = isa.elements
        func field(_ n: Int) -> String { n <= e.count ? ASCII.trimSpaces(e[n - 1]) : "" }
        header = X12InterchangeHeader(
            authorizationQualifier: field(1),
            authorizationInformation: field(2),
            securityQualifier: field(3),
            securityInformation: field(4),
            senderQualifier: field(5),
            senderID: field(6),
            receiverQualifier: field(7),
            receiverID: field(8),
            date: field(9),
            time: field(10),
            version: field(12),
            controlNumber: ASCII.number(field(13)) ?? 0,
            acknowledgmentRequested: field(14) == "1",
            usage: X12UsageIndicator(rawValue: field(15)) ?? .production
        )
        report(EnvelopeRules.check("ISA", e, rules: EnvelopeRules.isa, delimiters: delimiters), at: isa)
        if !header.hasRepetitionSeparator && field(11) != "U" {
            error(
                "invalid_value",
                "ISA11 \(ASCII.quote(field(11))) must be U before version 00402 (ISA12 is \(ASCII.quote(field(12))))",
                at: isa,
                element: 11
            )
        }
    }

    var interchange: X12Interchange { X12Interchange(header: header, acknowledgments: acknowledgments, groups: groups) }

    mutating func visit(_ segment: X12Segment) {
        if let iea, let position = iea.position?.segment {
            error("unexpected_segment", "\(segment.id) after IEA (segment \(position)); one interchange per document", at: segment)
            return
        }
        switch segment.id {
        case "ISA":
            error("unexpected_segment", "a second ISA before IEA; interchanges cannot nest", at: segment)
        case "GS":
            closeOrphan(before: segment)
            closeSet(missingTrailerBefore: segment)
            closeGroup(missingTrailerBefore: segment)
            openGroup(segment)
        case "GE":
            closeOrphan(before: segment)
            closeSet(missingTrailerBefore: segment)
            guard let open = openGroup else {
                error("unexpected_segment", "GE without a matching GS", at: segment)
                return
            }
            checkGE(segment, of: open)
            groups.append(open.group)
            openGroup = nil
        case "ST":
            closeOrphan(before: segment)
            closeSet(missingTrailerBefore: segment)
            openSet(segment)
        case "SE":
            if orphan != nil {
                orphan = nil
                return
            }
            guard let open = openSet else {
                error("unexpected_segment", "SE without a matching ST", at: segment)
                return
            }
            checkSE(segment, of: open)
            openGroup?.group.transactionSets.append(open.set)
            openSet = nil
        case "TA1":
            guard openGroup == nil, openSet == nil, groups.isEmpty else {
                error("unexpected_segment", "TA1 after a functional group; interchange acknowledgments come right after ISA", at: segment)
                return
            }
            for problem in InterchangeAcknowledgment.problems(segment.elements) {
                error("invalid_value", problem.message, at: segment, element: problem.element)
            }
            acknowledgments.append(segment)
        case "IEA":
            closeOrphan(before: segment)
            closeSet(missingTrailerBefore: segment)
            closeGroup(missingTrailerBefore: segment)
            checkIEA(segment)
            iea = segment
        default:
            if openSet != nil {
                openSet?.set.segments.append(segment)
            } else if orphan == nil {
                let place = openGroup == nil ? "outside any functional group (GS/GE)" : "between transaction sets (outside ST/SE)"
                error("unexpected_segment", "\(segment.id.isEmpty ? "a segment" : segment.id) \(place)", at: segment)
            }
        }
    }

    mutating func finish() {
        closeOrphan(before: nil)
        closeSet(missingTrailerBefore: nil)
        closeGroup(missingTrailerBefore: nil)
        if iea == nil { error("missing_trailer", "the interchange has no IEA", at: isa) }
    }

    // MARK: - Opening

    private mutating func openGroup(_ gs: X12Segment) {
        let e = gs.elements
        func field(_ n: Int) -> String { n <= e.count ? e[n - 1] : "" }
        report(EnvelopeRules.check("GS", e, rules: EnvelopeRules.gs, delimiters: delimiters), at: gs)
        if let problem = EnvelopeRules.checkGroupDate(field(4), version: field(8), delimiters: delimiters) {
            error(problem.code, problem.message, at: gs, element: 4)
        }
        let key = controlKey(field(6))
        if !key.isEmpty, !groupControlNumbers.insert(key).inserted {
            error("duplicate_control_number", "GS06 \(field(6)) repeats a group control number of this interchange", at: gs, element: 6)
        }
        openGroup = OpenGroup(
            gs: gs,
            group: X12FunctionalGroup(
                functionalIdentifierCode: field(1),
                applicationSenderCode: field(2),
                applicationReceiverCode: field(3),
                date: field(4),
                time: field(5),
                controlNumber: ASCII.number(field(6)) ?? 0,
                responsibleAgencyCode: field(7),
                version: field(8),
                transactionSets: []
            )
        )
    }

    private mutating func openSet(_ st: X12Segment) {
        let e = st.elements
        func field(_ n: Int) -> String { n <= e.count ? e[n - 1] : "" }
        report(EnvelopeRules.check("ST", e, rules: EnvelopeRules.st, delimiters: delimiters), at: st)
        guard openGroup != nil else {
            error("unexpected_segment", "ST outside any functional group (no open GS)", at: st)
            orphan = st
            return
        }
        if !field(2).isEmpty, openGroup?.setControlNumbers.insert(field(2)).inserted == false {
            error("duplicate_control_number", "ST02 \(field(2)) repeats a transaction set control number of this group", at: st, element: 2)
        }
        let reference = field(3)
        openSet = OpenSet(
            st: st,
            set: X12TransactionSet(
                id: field(1),
                controlNumber: field(2),
                implementationConventionReference: reference.isEmpty ? nil : reference,
                segments: []
            )
        )
    }

    // MARK: - Closing

    private mutating func closeOrphan(before segment: X12Segment?) {
        guard let st = orphan else { return }
        error("missing_trailer", "transaction set has no SE \(before(segment))", at: st)
        orphan = nil
    }

    private mutating func closeSet(missingTrailerBefore segment: X12Segment?) {
        guard let open = openSet else { return }
        error("missing_trailer", "transaction set \(open.set.controlNumber) has no SE \(before(segment))", at: open.st)
        openGroup?.group.transactionSets.append(open.set)
        openSet = nil
    }

    private mutating func closeGroup(missingTrailerBefore segment: X12Segment?) {
        guard let open = openGroup else { return }
        error("missing_trailer", "functional group \(open.group.controlNumber) has no GE \(before(segment))", at: open.gs)
        groups.append(open.group)
        openGroup = nil
    }

    private func before(_ segment: X12Segment?) -> String {
        guard let segment, let position = segment.position?.segment else { return "before the end of the interchange" }
        return "before segment \(position) (\(segment.id))"
    }

    // MARK: - Trailers

    private mutating func checkSE(_ se: X12Segment, of open: OpenSet) {
        let e = se.elements
        report(EnvelopeRules.check("SE", e, rules: EnvelopeRules.se, delimiters: delimiters), at: se)
        let actual = open.set.segments.count + 2
        if let raw = e.first, let count = ASCII.number(raw), count != actual {
            error("segment_count_mismatch", "SE01 is \(raw) but the set has \(actual) segments", at: se, element: 1)
        }
        if e.count >= 2, e[1] != open.set.controlNumber {
            error(
                "control_number_mismatch",
                "SE02 is \(ASCII.quote(e[1])) but ST02 (segment \(open.st.position?.segment ?? 0)) is \(ASCII.quote(open.set.controlNumber))",
                at: se,
                element: 2
            )
        }
    }

    private mutating func checkGE(_ ge: X12Segment, of open: OpenGroup) {
        let e = ge.elements
        report(EnvelopeRules.check("GE", e, rules: EnvelopeRules.ge, delimiters: delimiters), at: ge)
        let actual = open.group.transactionSets.count
        if let raw = e.first, let count = ASCII.number(raw), count != actual {
            error(
                "set_count_mismatch",
                "GE01 is \(raw) but the group has \(actual) transaction set\(actual == 1 ? "" : "s")",
                at: ge,
                element: 1
            )
        }
        let gs06 = open.gs.elements.count >= 6 ? open.gs.elements[5] : ""
        if e.count >= 2, controlKey(e[1]) != controlKey(gs06) {
            error(
                "control_number_mismatch",
                "GE02 is \(ASCII.quote(e[1])) but GS06 (segment \(open.gs.position?.segment ?? 0)) is \(ASCII.quote(gs06))",
                at: ge,
                element: 2
            )
        }
    }

    private mutating func checkIEA(_ iea: X12Segment) {
        let e = iea.elements
        report(EnvelopeRules.check("IEA", e, rules: EnvelopeRules.iea, delimiters: delimiters), at: iea)
        if let raw = e.first, let count = ASCII.number(raw), count != groups.count {
            error(
                "group_count_mismatch",
                "IEA01 is \(raw) but the interchange has \(groups.count) functional group\(groups.count == 1 ? "" : "s")",
                at: iea,
                element: 1
            )
        }
        let isa13 = isa.elements.count >= 13 ? isa.elements[12] : ""
        if e.count >= 2, e[1] != isa13 {
            error("control_number_mismatch", "IEA02 is \(ASCII.quote(e[1])) but ISA13 is \(ASCII.quote(isa13))", at: iea, element: 2)
        }
    }

    // MARK: - Errors

    /// Group control numbers are numbers: `0001` and `1` are the same.
    private func controlKey(_ raw: String) -> String {
        ASCII.number(raw).map { String($0) } ?? raw
    }

    private mutating func report(_ problems: [EnvelopeRules.Problem], at segment: X12Segment) {
        for problem in problems {
            // An element-count problem names the element only when there are too many.
            let element = problem.code == "element_count" && problem.element > segment.elements.count ? nil : problem.element
            error(problem.code, problem.message, at: segment, element: element)
        }
    }

    private mutating func error(_ code: String, _ message: String, at segment: X12Segment, element: Int? = nil) {
        errors.append(
            X12Error(
                code: code,
                message: message,
                segmentPosition: segment.position?.segment ?? 0,
                segmentID: X12Tokenizer.isValidID(segment.id) ? segment.id : "",
                elementPosition: element,
                byteOffset: segment.position?.byteOffset ?? 0
            )
        )
    }
}
