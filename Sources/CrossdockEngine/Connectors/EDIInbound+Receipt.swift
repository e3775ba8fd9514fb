import CrossdockEDI
import Foundation

extension EDIInbound {
    /// The answer to one interchange.
    public struct Receipt: Sendable, Encodable {
        /// The hub's id for the interchange.
        public var interchangeID: String
        /// The partner.
        public var partner: String
        /// ISA13.
        public var controlNumber: Int
        /// Whether this is the answer recorded for an earlier copy of the same interchange.
        public var replayed: Bool
        /// Per transaction set: what became of it.
        public var documents: [DocumentOutcome]
        /// The 997 interchange.
        public var acknowledgment: String
    }

    /// What became of one transaction set.
    public struct DocumentOutcome: Sendable, Encodable {
        /// ST01.
        public var transactionSet: String
        /// ST02.
        public var controlNumber: String
        /// `accepted` or `rejected`.
        public var status: String
        /// The business key (PO number, fulfilment order, group acknowledged).
        public var reference: String
        /// The order it created or touched.
        public var orderID: String?
        /// Why, when refused.
        public var detail: String?
    }

    /// A request the hub refuses outright (no 997 can be written).
    public struct Refusal: Error, Sendable {
        /// `invalid_interchange`, `unknown_partner`, `wrong_receiver`, `forbidden_partner`, `invalid_encoding`.
        public var code: String
        /// Why.
        public var message: String
        /// The X12 errors, for an unreadable interchange.
        public var errors: [X12Error]
    }
}
