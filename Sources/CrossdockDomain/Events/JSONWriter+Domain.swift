import Foundation

// Members are written in sorted key order, as `JSONEncoder` with `.sortedKeys` writes them.

extension Money: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("currency", currency.code)
            $0.field("minorUnits", minorUnits)
        }
    }
}

extension Address: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("city", city)
            $0.field("country", country)
            $0.field("lines", lines)
            $0.field("name", name)
            $0.field("postalCode", postalCode)
            $0.field("region", region)
        }
    }
}

extension ShipTo: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("address", address)
            $0.field("code", code)
        }
    }
}

extension SalesOrder.Reason: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("code", code)
            $0.field("lineNo", lineNo)
            $0.field("message", message)
        }
    }
}

extension SalesOrder.StatusChange: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("at", at)
            $0.field("status", status.rawValue)
        }
    }
}

extension OrderLine: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("allocated", allocated)
            $0.field("backordered", backordered)
            $0.field("cancelRequested", cancelRequested)
            $0.field("cancelled", cancelled)
            $0.field("channelLineRef", channelLineRef)
            $0.field("credited", credited)
            $0.field("extended", extended)
            $0.field("invoiced", invoiced)
            $0.field("lineNo", lineNo)
            $0.field("open", open)
            $0.field("orderedSKU", orderedSKU)
            $0.field("orderedUnit", orderedUnit)
            $0.field("picked", picked)
            $0.field("priceSource", priceSource)
            $0.field("promisedDate", promisedDate)
            $0.field("quantity", quantity)
            $0.field("rejected", rejected)
            $0.field("released", released)
            $0.field("returned", returned)
            $0.field("shipped", shipped)
            $0.field("shortPicked", shortPicked)
            $0.field("sku", sku)
            $0.field("tax", tax)
            $0.field("unitPrice", unitPrice)
            $0.key("warehouseQuantities")
            $0.object { members in
                for (warehouse, quantity) in warehouseQuantities.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
                    members.field(warehouse, quantity)
                }
            }
        }
    }
}

extension SalesOrder: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("channel", channel)
            $0.field("channelRef", channelRef)
            $0.field("channelTotals", channelTotals)
            $0.field("currency", currency.code)
            $0.field("customerId", customerID)
            $0.field("customerPo", customerPO)
            $0.field("externalId", externalID)
            $0.field("fulfillmentOrderIds", fulfillmentOrderIDs)
            $0.field("history", history)
            $0.field("id", id)
            if let legalEntityID { $0.field("legalEntityId", legalEntityID) }
            $0.field("lines", lines)
            if let masterDataVersion { $0.field("masterDataVersion", masterDataVersion) }
            $0.field("reasons", reasons)
            $0.field("receivedAt", receivedAt)
            $0.field("requestedDate", requestedDate)
            $0.field("shipPolicy", shipPolicy.rawValue)
            $0.field("shipTo", shipTo)
            $0.key("shipments")
            $0.object { members in
                for (id, state) in shipments.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
                    members.field(id, state.rawValue)
                }
            }
            $0.field("shipping", shipping)
            $0.field("status", status.rawValue)
            $0.field("subtotal", subtotal)
            $0.field("tax", tax)
            $0.field("taxRatePPM", taxRatePPM)
            $0.field("total", total)
            $0.field("version", version)
        }
    }
}

extension Allocator.Allocation: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("lineNo", lineNo)
            $0.field("quantity", quantity)
            $0.field("sku", sku)
            $0.field("warehouseId", warehouseID)
        }
    }
}

extension OrderEventData.LineData: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("backordered", backordered)
            $0.field("lineNo", lineNo)
            $0.field("open", open)
            $0.field("quantity", quantity)
            $0.field("released", released)
            $0.field("shipped", shipped)
            $0.field("sku", sku)
            $0.field("status", status.rawValue)
            $0.field("unitPrice", unitPrice)
        }
    }
}

extension OrderEventData: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            if let allocations { $0.field("allocations", allocations) }
            $0.field("channel", channel)
            $0.field("customerId", customerId)
            $0.field("externalId", externalId)
            if let legalEntityId { $0.field("legalEntityId", legalEntityId) }
            $0.field("lines", lines)
            $0.field("orderId", orderId)
            $0.field("reasons", reasons)
            $0.field("status", status.rawValue)
            $0.field("total", total)
        }
    }
}

extension OrderStatusData: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("channel", channel)
            $0.field("customerId", customerId)
            $0.field("externalId", externalId)
            if let legalEntityId { $0.field("legalEntityId", legalEntityId) }
            $0.field("orderId", orderId)
            $0.field("reasons", reasons)
            $0.field("status", status.rawValue)
            $0.field("total", total)
        }
    }
}

extension FulfillmentOrder.Line: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("cancelRequested", cancelRequested)
            $0.field("cancelled", cancelled)
            $0.field("lineNo", lineNo)
            $0.field("picked", picked)
            $0.field("quantity", quantity)
            $0.field("shipped", shipped)
            $0.field("short", short)
            $0.field("sku", sku)
        }
    }
}

extension FulfillmentOrder: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("id", id)
            $0.field("lines", lines)
            $0.field("orderId", orderID)
            $0.field("releasedAt", releasedAt)
            $0.field("requestedDate", requestedDate)
            $0.field("shipTo", shipTo)
            $0.field("shipmentIds", shipmentIDs)
            $0.field("status", status.rawValue)
            $0.field("version", version)
            $0.field("warehouseId", warehouseID)
        }
    }
}
