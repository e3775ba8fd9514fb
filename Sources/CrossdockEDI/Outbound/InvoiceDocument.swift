import Foundation

/// An 810 invoice as values. Build one from a canonical invoice with
/// ``init(invoice:order:customer:products:remitTo:shipment:)``, write it with ``transactionSet()``, read one with
/// ``init(transactionSet:)``; `InvoiceDocument(transactionSet: doc.transactionSet()) == doc`.
///
/// JSON shape (absent optionals omitted; amounts are numbers in major units except `totalCents` and SAC `amountCents`,
/// which are X12 N2 implied-decimal integers):
/// ```json
/// {"invoiceDate": "2025-03-15", "invoiceNumber": "INV-000123", "purchaseOrderDate": "2025-03-14",
///  "purchaseOrderNumber": "PO-7781", "currency": "EUR", "references": [{"qualifier": "SI", "value": "SHP-1001"}],
///  "parties": [{"role": "BT", ...}], "terms": [{"typeCode": "01", "basisDateCode": "3", "discountPercent": 2,
///  "discountDays": 10, "netDueDate": "2025-04-14", "netDays": 30, "description": "2/10NET30"}],
///  "dates": [{"qualifier": "011", "date": "2025-03-15"}],
///  "lines": [{"lineNumber": "1", "quantity": 12, "unit": "EA", "unitPrice": 4.25, "priceBasis": "PE",
///    "ids": [{"qualifier": "VP", "id": "WID-100"}], "taxes": [{"type": "ST", "amount": 4.53, "percent": 8.875}],
///    "description": "WIDGET, BLUE"}],
///  "totalCents": 11057, "taxes": [{"type": "ST", "amount": 10.22}], "carrier": {"scac": "UPSN", "routing": "GROUND"},
///  "charges": [{"indicator": "C", "code": "D240", "amountCents": 1500}], "lineCount": 3}
/// ```
public struct InvoiceDocument: Hashable, Sendable, Codable {
    /// ITD terms of sale.
    public struct Terms: Hashable, Sendable, Codable {
        /// ITD01 terms type, `01` basic, `05` discount not applicable.
        public var typeCode: String?
        /// ITD02 terms basis date, `3` invoice date.
        public var basisDateCode: String?
        /// ITD03 discount percent.
        public var discountPercent: Decimal?
        /// ITD05 discount days.
        public var discountDays: Int?
        /// ITD06 net due date, `YYYY-MM-DD`.
        public var netDueDate: String?
        /// ITD07 net days.
        public var netDays: Int?
        /// ITD12 description.
        public var description: String?
    }

    /// A TXI tax: type (`ST` sales tax), amount in major units, percent.
    public struct Tax: Hashable, Sendable, Codable {
        /// TXI01 tax type code.
        public var type: String
        /// TXI02 amount.
        public var amount: Decimal?
        /// TXI03 percent.
        public var percent: Decimal?
    }

    /// One IT1 line with its TXI and PID.
    public struct Line: Hashable, Sendable, Codable {
        /// IT101 assigned identification: the order line number.
        public var lineNumber: String?
        /// IT102 quantity invoiced.
        public var quantity: Decimal
        /// IT103 unit.
        public var unit: String
        /// IT104 unit price.
        public var unitPrice: Decimal?
        /// IT105 basis of unit price, `PE` per each.
        public var priceBasis: String?
        /// IT106... identifier pairs.
        public var ids: [ItemID]
        /// Line TXIs.
        public var taxes: [Tax]
        /// PID05.
        public var description: String?

        /// The first identifier with `qualifier`.
        public func id(_ qualifier: String) -> String? { ids.first { $0.qualifier == qualifier }?.id }
    }

    /// CAD carrier detail.
    public struct Carrier: Hashable, Sendable, Codable {
        /// CAD01 transportation method.
        public var transportationMethod: String?
        /// CAD04 SCAC.
        public var scac: String?
        /// CAD05 routing.
        public var routing: String?
    }

    /// A SAC allowance or charge.
    public struct Charge: Hashable, Sendable, Codable {
        /// SAC01 `A` allowance, `C` charge, `N` no allowance or charge.
        public var indicator: String
        /// SAC02 code, e.g. `D240` freight.
        public var code: String?
        /// SAC05 amount, implied two decimals.
        public var amountCents: Int64?
        /// SAC15 description.
        public var description: String?
    }

    /// BIG01, `YYYY-MM-DD`.
    public var invoiceDate: String
    /// BIG02.
    public var invoiceNumber: String
    /// BIG03, `YYYY-MM-DD`.
    public var purchaseOrderDate: String?
    /// BIG04.
    public var purchaseOrderNumber: String?
    /// CUR02 (CUR01 `SE`); `nil` means USD.
    public var currency: String?
    /// Header REFs.
    public var references: [Reference]
    /// N1 loops: `BT`, `ST`, `RE`...
    public var parties: [Party]
    /// ITD terms.
    public var terms: [Terms]
    /// Header DTMs: `011` shipped.
    public var dates: [DateReference]
    /// The lines.
    public var lines: [Line]
    /// TDS01: the invoice total, implied two decimals (cents for USD).
    public var totalCents: Int64
    /// Summary TXIs.
    public var taxes: [Tax]
    /// Summary CAD.
    public var carrier: Carrier?
    /// Summary SACs.
    public var charges: [Charge]
    /// CTT01 as read; computed when written.
    public var lineCount: Int?
}
