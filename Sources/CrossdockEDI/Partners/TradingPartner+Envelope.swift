import Foundation

/// Writing interchanges for a partner: its delimiters, a serializer configured from the profile and the ISA/GS envelope.
///
/// ```swift
/// let set = try ShipNoticeBuilder(...).transactionSet()
/// let interchange = partner.interchange(functionalID: "SH", sets: [set], at: .now)
/// let (sent, text) = try await partner.serializer.serialize(interchange, assigningControlNumbersFrom: store)
/// ```
extension TradingPartner {
    /// The delimiters the profile asks for: element, component (ISA16), repetition (ISA11 from 00402 on) and terminator.
    ///
    /// Throws `invalid_delimiter` when a profile field is not exactly one ASCII character that is not a letter, digit
    /// or space, or when two roles share a character.
    public var delimiters: X12Delimiters {
        get throws(X12Error) {
            func character(_ value: String, _ role: String) throws(X12Error) -> Character {
                guard value.count == 1, let first = value.first else {
                    throw X12Error(
                        code: "invalid_delimiter",
                        message: "partner \(id): the \(role) \(ASCII.quote(value)) must be exactly one character",
                        segmentPosition: 1,
                        segmentID: "ISA"
                    )
                }
                return first
            }
            return try X12Delimiters(
                element: try character(elementSeparator, "element separator"),
                component: try character(componentSeparator, "component separator"),
                repetition: try character(repetitionSeparator, "repetition separator"),
                segmentTerminator: try character(segmentTerminator, "segment terminator")
            )
        }
    }

    /// A serializer with the profile's ``delimiters`` and `newlineAfterSegment`.
    public var serializer: X12Serializer {
        get throws(X12Error) { X12Serializer(delimiters: try delimiters, newlineAfterSegment: newlineAfterSegment) }
    }

    /// ISA12 for the profile's GS08 version: its first five characters (`004010` → `00401`, `005010` → `00501`).
    public var interchangeVersion: String { String(version.prefix(5)) }

    /// ISA15 from the profile's `usage`; anything other than `P` or `I` is written as test data (`T`), so a mistyped
    /// profile never sends production documents.
    public var usageIndicator: X12UsageIndicator {
        X12UsageIndicator(rawValue: usage) ?? .test
    }

    /// One interchange with one functional group holding `sets`, addressed from us to the partner.
    ///
    /// ISA05/ISA06 are ``ourISAQualifier``/``ourISAID``, ISA07/ISA08 the partner's; ISA12 is ``interchangeVersion``;
    /// GS02/GS03 are ``ourGSCode``/``gsCode`` and GS08 is ``version``. From 005010 on, a set without ST03 gets GS08 as
    /// its implementation convention reference. Control numbers are placeholders (ISA13 and GS06 are 1, sets are
    /// numbered `0001`, `0002`, ... in order) so the value serializes as is;
    /// ``X12Serializer/serialize(_:assigningControlNumbersFrom:)`` replaces them with the partner's sequences.
    /// - Parameters:
    ///   - functionalID: GS01, e.g. `SH` for 856 (see ``X12FunctionalGroup/functionalIdentifierCode(forSet:)``).
    ///   - sets: the transaction sets, all of the kind `functionalID` names.
    ///   - date: the interchange time, written as ISA09/ISA10 and GS04/GS05.
    ///   - timeZone: the zone the date and time are written in; UTC by default.
    public func interchange(
        functionalID: String,
        sets: [X12TransactionSet],
        at date: Date,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) -> X12Interchange {
        let stamp = X12DateFormat.stamp(date, timeZone: timeZone)
        let hasST03 = version.prefix(3) >= "005"
        let numbered = sets.enumerated().map { index, set in
            var copy = set
            copy.controlNumber = ASCII.zeroPadded(index + 1, width: 4)
            if hasST03 && copy.implementationConventionReference == nil { copy.implementationConventionReference = version }
            return copy
        }
        let header = X12InterchangeHeader(
            senderQualifier: ourISAQualifier,
            senderID: ourISAID,
            receiverQualifier: isaQualifier,
            receiverID: isaID,
            date: String(stamp.date.dropFirst(2)),
            time: stamp.time,
            version: interchangeVersion,
            controlNumber: 1,
            usage: usageIndicator
        )
        let group = X12FunctionalGroup(
            functionalIdentifierCode: functionalID,
            applicationSenderCode: ourGSCode,
            applicationReceiverCode: gsCode,
            date: stamp.date,
            time: stamp.time,
            controlNumber: 1,
            version: version,
            transactionSets: numbered
        )
        return X12Interchange(header: header, groups: [group])
    }
}

extension X12FunctionalGroup {
    /// GS01 for a transaction set: `PO` 850, `PR` 855, `SH` 856, `IN` 810, `OW` 940, `SW` 945, `FA` 997, `AN` 180,
    /// `IB` 846; `nil` for a set the hub does not exchange.
    /// - Parameter id: ST01, e.g. `856`.
    public static func functionalIdentifierCode(forSet id: String) -> String? {
        ["850": "PO", "855": "PR", "856": "SH", "810": "IN", "940": "OW", "945": "SW", "997": "FA", "180": "AN", "846": "IB"][id]
    }
}
