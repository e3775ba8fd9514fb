import Foundation

/// Reads an 856 body segment by segment, keeping track of the HL level each segment belongs to.
struct ShipNoticeReader {
    /// Where an HL level's segments go.
    private enum Node {
        case shipment
        case order(Int)
        case package(order: Int, package: Int)
        case item(order: Int, package: Int?, item: Int)
        case skipped
    }

    private var node = Node.shipment
    private var nodes: [String: Node] = [:]

    mutating func read(_ segment: X12Segment, into notice: inout ShipNotice) throws(OutboundMappingError) {
        switch segment.id {
        case "HL": try enter(segment, &notice)
        case "CTT": notice.hierarchyCount = segment.value(1).flatMap { Int($0) }
        default:
            switch node {
            case .shipment: try readShipment(segment, &notice)
            case .order(let o): try readOrder(segment, &notice.orders[o])
            case .package(let o, let p): try readPackage(segment, &notice.orders[o].packages[p])
            case .item(let o, let p, let i):
                if let p { try readItem(segment, &notice.orders[o].packages[p].items[i]) } else { try readItem(segment, &notice.orders[o].items[i]) }
            case .skipped: break
            }
        }
    }

    private mutating func enter(_ hl: X12Segment, _ notice: inout ShipNotice) throws(OutboundMappingError) {
        let parent = hl.value(2).flatMap { nodes[$0] }
        switch (hl.value(3), parent) {
        case ("S", _): node = .shipment
        case ("O", _):
            notice.orders.append(ShipNotice.Order(purchaseOrderNumber: ""))
            node = .order(notice.orders.count - 1)
        case ("P", let parent), ("T", let parent), ("Q", let parent):
            guard let o = Self.order(of: parent) ?? (notice.orders.isEmpty ? nil : notice.orders.count - 1) else {
                node = .skipped
                break
            }
            notice.orders[o].packages.append(ShipNotice.Package(level: hl.value(3) ?? "P"))
            node = .package(order: o, package: notice.orders[o].packages.count - 1)
        case ("I", .package(let o, let p)?):
            notice.orders[o].packages[p].items.append(ShipNotice.Item(lineNumber: nil, ids: [], quantityShipped: 0, unit: ""))
            node = .item(order: o, package: p, item: notice.orders[o].packages[p].items.count - 1)
        case ("I", let parent):
            guard let o = Self.order(of: parent) else {
                node = .skipped
                break
            }
            notice.orders[o].items.append(ShipNotice.Item(lineNumber: nil, ids: [], quantityShipped: 0, unit: ""))
            node = .item(order: o, package: nil, item: notice.orders[o].items.count - 1)
        default: node = .skipped
        }
        if let id = hl.value(1) { nodes[id] = node }
    }

    private static func order(of node: Node?) -> Int? {
        switch node {
        case .order(let o)?, .package(let o, _)?, .item(let o, _, _)?: o
        default: nil
        }
    }

    private mutating func readShipment(_ s: X12Segment, _ notice: inout ShipNotice) throws(OutboundMappingError) {
        switch s.id {
        case "TD1" where notice.packagingCode == nil && notice.ladingQuantity == nil:
            notice.packagingCode = s.value(1)
            notice.ladingQuantity = s.value(2).flatMap { Int($0) }
            notice.weight = try X12Number.optional(s.value(7), "TD107", segment: "TD1")
            notice.weightUnit = s.value(8)
        case "TD5" where notice.carrierSCAC == nil && notice.routing == nil:
            notice.carrierSCAC = s.value(3)
            notice.transportationMethod = s.value(4)
            notice.routing = s.value(5)
        case "REF": notice.references.append(Reference(s))
        case "DTM": notice.dates.append(try DateReference(checking: s))
        case "N1": notice.parties.append(Party(n1: s))
        case "N2", "N3", "N4":
            if !notice.parties.isEmpty { _ = notice.parties[notice.parties.count - 1].absorb(s) }
        default: break
        }
    }

    private func readOrder(_ s: X12Segment, _ order: inout ShipNotice.Order) throws(OutboundMappingError) {
        switch s.id {
        case "PRF":
            order.purchaseOrderNumber = s.value(1) ?? ""
            order.purchaseOrderDate = try s.value(4).map { (day) throws(OutboundMappingError) in try DateReference.isoDate(day, segmentID: "DTM") }
        case "REF": order.references.append(Reference(s))
        case "N1": order.parties.append(Party(n1: s))
        case "N2", "N3", "N4":
            if !order.parties.isEmpty { _ = order.parties[order.parties.count - 1].absorb(s) }
        default: break
        }
    }

    private func readPackage(_ s: X12Segment, _ package: inout ShipNotice.Package) throws(OutboundMappingError) {
        switch s.id {
        case "TD1":
            package.packagingCode = s.value(1)
            package.weight = try X12Number.optional(s.value(7), "TD107", segment: "TD1")
            package.weightUnit = s.value(8)
        case "PO4" where package.weight == nil:
            package.weight = try X12Number.optional(s.value(6), "PO406", segment: "PO4")
            package.weightUnit = s.value(7)
        case "MAN":
            if let q = s.value(1), let v = s.value(2) { package.marks.append(ShipNotice.Mark(q, v)) }
            if let q = s.value(4), let v = s.value(5) { package.marks.append(ShipNotice.Mark(q, v)) }
        case "REF": package.references.append(Reference(s))
        default: break
        }
    }

    private func readItem(_ s: X12Segment, _ item: inout ShipNotice.Item) throws(OutboundMappingError) {
        switch s.id {
        case "LIN":
            item.lineNumber = s.value(1) ?? item.lineNumber
            item.ids = ItemID.pairs(in: s, from: 2).filter(\.isComplete)
        case "SN1":
            item.lineNumber = item.lineNumber ?? s.value(1)
            item.quantityShipped = try X12Number.require(s.value(2), "SN102", segment: "SN1")
            item.unit = s.value(3) ?? ""
            item.quantityOrdered = try X12Number.optional(s.value(5), "SN105", segment: "SN1")
            item.orderedUnit = s.value(6)
        case "PID": item.description = s.value(5) ?? item.description
        default: break
        }
    }
}
