/// Why a canonical document cannot be written as X12 (856, 810, 940), or a transaction set cannot be read back.
///
/// Codes:
/// - `invalid_sscc`: an SSCC is not 18 digits, or its check digit is wrong.
/// - `sscc_count`: the number of SSCCs given is not the number of packages.
/// - `unknown_line`: a shipment, invoice or fulfilment line names an order line the order does not have.
/// - `missing_segment`: a required segment (BSN, BIG, W05, TDS...) is absent.
/// - `invalid_value`: an element is malformed (a date, a number) or an amount is not a whole number of minor units.
/// - `wrong_set`: the transaction set is not the kind the decoder reads.
public struct OutboundMappingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable machine code, e.g. `invalid_sscc`.
    public var code: String
    /// A sentence for people; never holds a whole payload.
    public var message: String
    /// The segment ID concerned, when the error is about a segment.
    public var segmentID: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable machine code.
    ///   - message: a sentence for people.
    ///   - segmentID: the segment concerned, if any.
    public init(code: String, message: String, segmentID: String? = nil) {
        self.code = code
        self.message = message
        self.segmentID = segmentID
    }

    /// `BSN: ...` or the message alone.
    public var description: String { segmentID.map { "\($0): \(message)" } ?? message }
}
