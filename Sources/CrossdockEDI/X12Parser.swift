/// Parses an X12 interchange into values, after checking its envelope.
///
/// ```swift
/// let interchange = try X12Parser.parse(text)          // throws the first X12Error
/// let errors = X12Parser.validate(text)                // every X12Error, in segment order
/// ```
public enum X12Parser {
    /// Parses `text`.
    /// - Parameter text: one interchange, ISA to IEA.
    /// - Returns: the interchange, when its envelope has no error.
    /// - Throws: the first error ``validate(_:)`` reports.
    public static func parse(_ text: String) throws(X12Error) -> X12Interchange {
        let outcome = X12EnvelopeValidator.read(text)
        if let first = outcome.errors.first { throw first }
        guard let interchange = outcome.interchange else {
            throw X12Error(code: "missing_isa", message: "no interchange was read", segmentPosition: 1, segmentID: "")
        }
        return interchange
    }

    /// Every envelope error in `text`, sorted by position; empty when it parses.
    /// - Parameter text: one interchange.
    public static func validate(_ text: String) -> [X12Error] {
        X12EnvelopeValidator.validate(text)
    }
}
