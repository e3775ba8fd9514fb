import Foundation

/// An 856 ship notice/manifest as values, in the hierarchy S (shipment) / O (order) / P (pack) / I (item).
///
/// Build one from a canonical shipment with ``init(shipment:order:products:warehouse:shipFrom:ssccs:shipTo:billOfLading:)``,
/// write it with ``transactionSet()`` and read one back with ``init(transactionSet:)``; `ShipNotice(transactionSet:
/// notice.transactionSet()) == notice`.
///
/// JSON shape (absent optionals omitted, dates `YYYY-MM-DD`, times `HH:MM[:SS]`, quantities numbers):
/// ```json
/// {"purpose": "00", "shipmentID": "SHP-1", "date": "2025-03-15", "time": "14:05", "structureCode": "0001",
///  "packagingCode": "CTN25", "ladingQuantity": 2, "weight": 12.5, "weightUnit": "KG",
///  "carrierSCAC": "UPSN", "transportationMethod": "U", "routing": "ground",
///  "references": [{"qualifier": "BM", "value": "BOL-9"}], "dates": [{"qualifier": "011", "date": "2025-03-15"}],
///  "parties": [{"role": "SF", ...}],
///  "orders": [{"purchaseOrderNumber": "PO-7781", "purchaseOrderDate": "2025-03-14", "references": [], "parties": [],
///    "packages": [{"level": "P", "packagingCode": "CTN25", "weight": 6.25, "weightUnit": "KG",
///      "marks": [{"qualifier": "GM", "value": "00106141411234567897"}, {"qualifier": "CP", "value": "1Z..."}],
///      "references": [], "items": [{"lineNumber": "1", "ids": [{"qualifier": "VP", "id": "WID-100"}],
///        "quantityShipped": 12, "unit": "EA", "quantityOrdered": 12, "orderedUnit": "EA", "description": "WIDGET"}]}],
///    "items": []}],
///  "hierarchyCount": 4}
/// ```
public struct ShipNotice: Hashable, Sendable, Codable {
    /// One item (HL level I): LIN, SN1, PID.
    public struct Item: Hashable, Sendable, Codable {
        /// LIN01 / SN101: the order line number.
        public var lineNumber: String?
        /// LIN02... identifier pairs (`VP` SKU, `UP`/`EN`/`UK` GTIN, `BP` buyer part...).
        public var ids: [ItemID]
        /// SN102 units shipped.
        public var quantityShipped: Decimal
        /// SN103 unit of measure.
        public var unit: String
        /// SN105 quantity ordered, which shows a partial shipment.
        public var quantityOrdered: Decimal?
        /// SN106 unit of the ordered quantity.
        public var orderedUnit: String?
        /// PID05 free-form description.
        public var description: String?

        /// Creates an item.
        /// - Parameters:
        ///   - lineNumber: LIN01/SN101.
        ///   - ids: identifier pairs.
        ///   - quantityShipped: SN102.
        ///   - unit: SN103.
        ///   - quantityOrdered: SN105.
        ///   - orderedUnit: SN106.
        ///   - description: PID05.
        public init(
            lineNumber: String?,
            ids: [ItemID],
            quantityShipped: Decimal,
            unit: String,
            quantityOrdered: Decimal? = nil,
            orderedUnit: String? = nil,
            description: String? = nil
        ) {
            self.lineNumber = lineNumber
            self.ids = ids
            self.quantityShipped = quantityShipped
            self.unit = unit
            self.quantityOrdered = quantityOrdered
            self.orderedUnit = orderedUnit
            self.description = description
        }

        /// The first identifier with `qualifier`.
        public func id(_ qualifier: String) -> String? { ids.first { $0.qualifier == qualifier }?.id }
    }

    /// A marks-and-numbers pair (MAN01/MAN02): `GM` SSCC with application identifier, `CP` carrier package id.
    public struct Mark: Hashable, Sendable, Codable {
        /// MAN01 qualifier.
        public var qualifier: String
        /// MAN02 value.
        public var value: String

        /// Creates a mark.
        /// - Parameters:
        ///   - qualifier: MAN01.
        ///   - value: MAN02.
        public init(_ qualifier: String, _ value: String) {
            self.qualifier = qualifier
            self.value = value
        }
    }

    /// A package (HL level P; T tare and Q subpack are read as packages with their level).
    public struct Package: Hashable, Sendable, Codable {
        /// HL03: `P`, `T` or `Q`.
        public var level: String
        /// TD101 packaging code, e.g. `CTN25`.
        public var packagingCode: String?
        /// TD107 (or PO406) gross weight.
        public var weight: Decimal?
        /// TD108 (or PO407) weight unit, e.g. `KG`, `LB`.
        public var weightUnit: String?
        /// MAN marks: the SSCC (`GM`) and the carrier's package id (`CP`, the tracking number).
        public var marks: [Mark]
        /// REF references at pack level.
        public var references: [Reference]
        /// The items packed.
        public var items: [Item]

        /// Creates a package.
        /// - Parameters:
        ///   - level: HL03.
        ///   - packagingCode: TD101.
        ///   - weight: gross weight.
        ///   - weightUnit: weight unit.
        ///   - marks: MAN marks.
        ///   - references: REF references.
        ///   - items: the items.
        public init(
            level: String = "P",
            packagingCode: String? = nil,
            weight: Decimal? = nil,
            weightUnit: String? = nil,
            marks: [Mark] = [],
            references: [Reference] = [],
            items: [Item] = []
        ) {
            self.level = level
            self.packagingCode = packagingCode
            self.weight = weight
            self.weightUnit = weightUnit
            self.marks = marks
            self.references = references
            self.items = items
        }

        /// The SSCC of the `GM` mark when its check digit is right; `nil` when absent or invalid (the raw mark stays).
        public var sscc: SSCC? { marks.first { $0.qualifier == "GM" }.flatMap { try? SSCC($0.value) } }

        /// The tracking number: the `CP` mark, else a pack-level `REF*CN`.
        public var trackingNumber: String? {
            marks.first { $0.qualifier == "CP" }?.value ?? references.first { $0.qualifier == "CN" }?.value
        }
    }

    /// An order (HL level O): PRF, REF, N1 loops, and its packages (or items directly, without a pack level).
    public struct Order: Hashable, Sendable, Codable {
        /// PRF01 the buyer's purchase order number.
        public var purchaseOrderNumber: String
        /// PRF04 the purchase order date, `YYYY-MM-DD`.
        public var purchaseOrderDate: String?
        /// REF references at order level.
        public var references: [Reference]
        /// N1 parties at order level (e.g. `BY`).
        public var parties: [Party]
        /// Packages under the order.
        public var packages: [Package]
        /// Items directly under the order (structure S/O/I).
        public var items: [Item]

        /// Creates an order level.
        /// - Parameters:
        ///   - purchaseOrderNumber: PRF01.
        ///   - purchaseOrderDate: PRF04.
        ///   - references: REFs.
        ///   - parties: N1 loops.
        ///   - packages: packages.
        ///   - items: items without a package.
        public init(
            purchaseOrderNumber: String,
            purchaseOrderDate: String? = nil,
            references: [Reference] = [],
            parties: [Party] = [],
            packages: [Package] = [],
            items: [Item] = []
        ) {
            self.purchaseOrderNumber = purchaseOrderNumber
            self.purchaseOrderDate = purchaseOrderDate
            self.references = references
            self.parties = parties
            self.packages = packages
            self.items = items
        }
    }

    /// BSN01 purpose, `00` original.
    public var purpose: String
    /// BSN02 shipment identification.
    public var shipmentID: String
    /// BSN03 date, `YYYY-MM-DD`.
    public var date: String
    /// BSN04 time, `HH:MM` or `HH:MM:SS`.
    public var time: String
    /// BSN05 hierarchical structure code, `0001` (S/O/P/I).
    public var structureCode: String?
    /// Shipment TD101 packaging code.
    public var packagingCode: String?
    /// Shipment TD102 lading quantity (number of packages).
    public var ladingQuantity: Int?
    /// Shipment TD107 gross weight.
    public var weight: Decimal?
    /// Shipment TD108 weight unit.
    public var weightUnit: String?
    /// TD503 carrier SCAC (TD502 `2`).
    public var carrierSCAC: String?
    /// TD504 transportation method, e.g. `U` private parcel, `M` motor.
    public var transportationMethod: String?
    /// TD505 routing: the service level, or the carrier's name when it has no SCAC.
    public var routing: String?
    /// Shipment REFs: `BM` bill of lading, `CN` (master) tracking number...
    public var references: [Reference]
    /// Shipment DTMs: `011` shipped.
    public var dates: [DateReference]
    /// Shipment N1 loops: `SF`, `ST`.
    public var parties: [Party]
    /// The orders.
    public var orders: [Order]
    /// CTT01 as read (the number of HL segments); computed when written.
    public var hierarchyCount: Int?
}
