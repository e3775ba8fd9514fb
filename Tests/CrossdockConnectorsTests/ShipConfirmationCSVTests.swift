import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

@Suite("3PL shipping confirmation CSV")
struct ShipConfirmationCSVTests {
    static let header = "fulfillment_order_id,line_no,sku,quantity_shipped,carrier,service,tracking_number,shipped_at,weight_grams"

    @Test("rows group into one shipped feedback per fulfilment order, packages by tracking number")
    func groups() throws {
        let csv = """
            \(Self.header)\r
            FO-1,1,WID-1,2,UPS,ground,1Z1,2024-08-01T16:30:00Z,1200\r
            FO-1,2,WID-2,1,UPS,ground,1Z1,2024-08-01T16:30:00Z,\r
            FO-2,1,"WID, \"\"large\"\"",5,FedEx,,7489,2024-08-01T17:00:00Z,900\r
            FO-1,2,WID-2,3,UPS,ground,1Z2,2024-08-01T16:30:00Z,2500\r
            FO-1,1,WID-1,1,UPS,ground,1Z1,2024-08-01T16:30:00Z,1200\r

            """
        let confirmations = try ShipConfirmationCSV.confirmations(csv: csv.bytes)
        let shippedAt = date("2024-08-01T16:30:00Z")
        #expect(
            confirmations == [
                ShipConfirmation(
                    fulfillmentOrderID: "FO-1",
                    feedback: .shipped(
                        carrier: "UPS",
                        service: "ground",
                        packages: [
                            .init(
                                trackingNumber: "1Z1",
                                weightGrams: 1_200,
                                contents: [.init(lineNo: 1, quantity: 3), .init(lineNo: 2, quantity: 1)]
                            ),
                            .init(trackingNumber: "1Z2", weightGrams: 2_500, contents: [.init(lineNo: 2, quantity: 3)]),
                        ],
                        shippedAt: shippedAt
                    )
                ),
                ShipConfirmation(
                    fulfillmentOrderID: "FO-2",
                    feedback: .shipped(
                        carrier: "FedEx",
                        service: nil,
                        packages: [.init(trackingNumber: "7489", weightGrams: 900, contents: [.init(lineNo: 1, quantity: 5)])],
                        shippedAt: date("2024-08-01T17:00:00Z")
                    )
                ),
            ]
        )
    }

    @Test("columns are found by name; optional ones may be left out")
    func columnOrder() throws {
        let csv = "tracking_number,shipped_at,carrier,quantity_shipped,line_no,fulfillment_order_id\n1Z9,2024-08-01T16:30:00Z,UPS,4,7,FO-9\n"
        let confirmations = try ShipConfirmationCSV.confirmations(csv: csv.bytes)
        #expect(
            confirmations.first?.feedback
                == .shipped(
                    carrier: "UPS",
                    service: nil,
                    packages: [.init(trackingNumber: "1Z9", contents: [.init(lineNo: 7, quantity: 4)])],
                    shippedAt: date("2024-08-01T16:30:00Z")
                )
        )
    }

    @Test("errors name the row and the column")
    func rowAndColumnErrors() {
        let csv = """
            \(Self.header)
            FO-1,1,A,0,UPS,ground,1Z1,2024-08-01T16:30:00Z,100
            FO-1,x,A,1,DHL,ground,1Z1,yesterday,200
            FO-1,2,A,1,UPS,ground,,2024-08-01T16:30:00Z,
            FO-2,1,A,1,UPS
            """
        let error = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: csv.bytes) }
        #expect(error?.code == "malformed_payload")
        let fields = Dictionary((error?.errors ?? []).map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(fields["row 2, column quantity_shipped"] == "must be a positive whole number, not 0")
        #expect(fields["row 3, column line_no"] == "must be a positive whole number, not x")
        #expect(fields["row 3, column carrier"] == "differs from row 2 for the same fulfillment_order_id (one shipment per fulfilment order)")
        #expect(fields["row 3, column shipped_at"] == "must be an RFC 3339 time, e.g. 2024-08-01T16:30:00Z, not yesterday")
        #expect(fields["row 4, column tracking_number"] == "missing")
        #expect(fields["row 5"] == "has 5 fields, the header has 9")
    }

    @Test func headerErrors() {
        let error = connectorError { () throws(ConnectorError) in
            _ = try ShipConfirmationCSV.confirmations(csv: "fulfillment_order_id,line_no,qty,line_no\nFO,1,1,1\n".bytes)
        }
        #expect(
            error?.errors == [
                .init(field: "row 1, column 3", reason: "unknown column \"qty\" (expected \(ShipConfirmationCSV.columns.joined(separator: ",")))"),
                .init(field: "row 1, column 4", reason: "column line_no appears twice"),
                .init(field: "row 1", reason: "missing column carrier"),
                .init(field: "row 1", reason: "missing column quantity_shipped"),
                .init(field: "row 1", reason: "missing column shipped_at"),
                .init(field: "row 1", reason: "missing column tracking_number"),
            ]
        )
        let empty = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: [UInt8]()) }
        #expect(empty?.errors.first?.field == "row 1")
        let noRows = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: "\(Self.header)\n".bytes) }
        #expect(noRows?.errors == [.init(field: "row 2", reason: "no data rows")])
    }

    @Test("RFC 4180 quoting: quoted commas, quotes and line breaks; rows are the line a record starts on")
    func quoting() throws {
        let csv = "\u{FEFF}\(Self.header)\nFO-1,1,\"multi\nline\",1,UPS,,1Z1,2024-08-01T16:30:00Z,\nFO-1,1,\"A\"x,1,UPS,,1Z1,2024-08-01T16:30:00Z,\n"
        let error = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: csv.bytes) }
        #expect(error?.errors == [.init(field: "row 4", reason: "text after the closing quote of field 3")])
        let unclosed = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: "\(Self.header)\nFO-1,\"1".bytes)
        }
        #expect(unclosed?.errors == [.init(field: "row 2", reason: "a quoted field is not closed")])
        let stray = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: "\(Self.header)\nFO-1,1\"".bytes) }
        #expect(stray?.errors.first?.reason.hasPrefix("a quote inside an unquoted field") == true)
    }

    @Test func packageWeightsMustAgree() {
        let csv = "\(Self.header)\nFO-1,1,A,1,UPS,,1Z1,2024-08-01T16:30:00Z,100\nFO-1,2,B,1,UPS,,1Z1,2024-08-01T16:30:00Z,150\n"
        let error = connectorError { () throws(ConnectorError) in _ = try ShipConfirmationCSV.confirmations(csv: csv.bytes) }
        #expect(error?.errors == [.init(field: "row 3, column weight_grams", reason: "is 150 but row 2 gives 100 for package 1Z1")])
    }
}
