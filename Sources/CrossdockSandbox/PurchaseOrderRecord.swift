import CrossdockDomain
import CrossdockEDI
import Foundation

/// One purchase order a sandbox EDI partner sent, and everything that came back for it.
public struct PurchaseOrderRecord: Sendable {
    /// What the partner expects the hub to do with the PO.
    public enum Expectation: String, Sendable {
        /// Book it: 997 accepted, 855 `AT`/`AC`.
        case booked
        /// Reject the set in its 997 (a syntax defect): no 855, no order.
        case rejectedIn997 = "rejected in 997"
        /// Accept the set but refuse the order: 855 `RD`.
        case rejectedIn855 = "rejected in 855"
    }

    /// BEG03.
    public var number: String
    /// The lines as ordered: line number, SKU (also for lines sent by GTIN), quantity and unit price in cents.
    public var lines: [OrderRequest.Line]
    /// The line numbers sent by `UP` GTIN alone.
    public var linesByGTIN: Set<Int>
    /// Whether it ships to the one-time store address.
    public var shipsToStore: Bool
    /// What should happen to it.
    public var expectation: Expectation
    /// ST02 it travelled under.
    public var setControlNumber: String
    /// AK501 of the hub's 997 for it; nil until answered.
    public var hubAcknowledgment: FunctionalAcknowledgment.Status?
    /// The 855s received for it.
    public var acknowledgments: [PurchaseOrderAcknowledgment] = []
    /// BSN02 of each 856 received for it.
    public var shipNotices: [String] = []
    /// BIG02 of each 810 received for it.
    public var invoices: [String] = []
    /// The lines ordered in cases (PO103 `CA`): line number → units per case.
    public var caseLines: [Int: Int] = [:]
    /// `<line>:<quantity>:<unit>` of every ACK of its 855s, SN1 of its 856s and IT1 of its 810s, for the lines
    /// ordered in cases, by transaction set.
    public var caseAnswers: [String: [String]] = [:]

    /// Whether the 855, 856 and 810 answered the lines ordered in cases in cases wherever the quantity is whole
    /// cases, and in units only where it is not (nil when no line was ordered in cases).
    public var answeredInCases: Bool? {
        guard !caseLines.isEmpty else { return nil }
        return ["855", "856", "810"].allSatisfy { set in
            let answers = caseAnswers[set] ?? []
            return !answers.isEmpty
                && answers.allSatisfy { answer in
                    let parts = answer.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 3, let line = Int(parts[0]), let size = caseLines[line], let quantity = Decimal(string: parts[1]) else {
                        return false
                    }
                    let whole = NSDecimalNumber(decimal: quantity).intValue
                    return parts[2] == "CA" || (Decimal(whole) == quantity && whole % size != 0)
                }
        }
    }

    /// Whether the hub did what was expected, as far as it has answered: the 997 status and, for sets it accepted,
    /// the 855's BAK02.
    public var metExpectation: Bool {
        switch expectation {
        case .booked:
            hubAcknowledgment == .accepted && acknowledgments.count == 1 && ["AT", "AC"].contains(acknowledgments[0].status)
        case .rejectedIn997:
            hubAcknowledgment == .rejected && acknowledgments.isEmpty
        case .rejectedIn855:
            hubAcknowledgment == .accepted && acknowledgments.count == 1 && acknowledgments[0].status == "RD"
        }
    }
}
