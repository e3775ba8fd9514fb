/// A line that carries a PO1 (baseline item data) as written: the 850's ordered line and the 855's echo of it, which
/// read, write and count their PO1s the same way.
protocol BaselineItemLine {
    /// PO101, the buyer's line number.
    var lineNumber: String? { get set }
    /// PO102, the quantity.
    var quantity: String? { get set }
    /// PO103, the unit.
    var unit: String? { get set }
    /// PO104, the unit price.
    var unitPrice: String? { get set }
    /// PO105, the basis of unit price.
    var priceBasis: String? { get set }
    /// PO106...PO125, the item IDs.
    var items: [ItemID] { get set }

    /// An empty line.
    init()
}

extension BaselineItemLine {
    /// A line from its PO1.
    /// - Parameter po1: the PO1 segment.
    init(po1: X12Segment) {
        self.init()
        lineNumber = po1.value(1)
        quantity = po1.value(2)
        unit = po1.value(3)
        unitPrice = po1.value(4)
        priceBasis = po1.value(5)
        items = ItemID.pairs(in: po1, from: 6, through: 25)
    }

    /// The line's PO1, its values as they are.
    var po1: X12Segment {
        X12Segment("PO1", optionals: [lineNumber, quantity, unit, unitPrice, priceBasis] + ItemID.elements(items))
    }

    /// The CTT01 error (AK4 code 7, the closest 997 code) when the count the sender wrote is not the number of PO1
    /// loops read; `nil` when they agree or there is no count.
    /// - Parameters:
    ///   - set: the transaction set.
    ///   - index: the CTT's index in the set's segments.
    ///   - count: CTT01.
    ///   - lines: the number of PO1 loops read.
    static func lineCountError(in set: X12TransactionSet, ctt index: Int, count: Int?, lines: Int) -> X12SetError? {
        guard let count, count != lines else { return nil }
        return set.error(
            "line_count_mismatch",
            "CTT01 is \(count) but the set has \(lines) PO1 segment\(lines == 1 ? "" : "s")",
            at: index,
            element: 1,
            dataElement: 354,
            elementCode: .invalidCode,
            loopID: "CTT"
        )
    }
}
