import CrossdockDomain
import CrossdockSandbox
import CrossdockStore
import Foundation

extension Demo {
    /// The two ERP instances: each booked exactly its own legal entity's sales orders, invoices and credit memos,
    /// and the hub recorded the instance's numbers on every invoiced order.
    func summarizeERPs(_ partners: DemoPartners, run: DemoRun, orders: [SalesOrder]) async throws -> [String] {
        var problems: [String] = []
        for (erp, entity) in [(partners.erp, Catalog.unitedStates), (partners.erpEU, Catalog.europe)] {
            let counters = erp.counters
            let own = orders.filter { $0.legalEntityID == entity.id }
            let invoiced = own.filter { $0.status == .invoiced }
            var salesOrders = 0
            var invoices = 0
            var credits = 0
            var example: String?
            for order in own {
                credits += try await run.hub.store.creditMemos(orderID: order.id).count
            }
            for order in invoiced {
                let references = try await run.hub.store.externalReferences(orderID: order.id)
                let so = references.first { $0.documentType == "sales_order" }
                let inv = references.first { $0.documentType == "invoice" }
                if so != nil { salesOrders += 1 }
                if inv != nil { invoices += 1 }
                if example == nil, let so, let inv { example = "\(order.id) → \(so.number), \(inv.number)" }
            }
            let foreign = counters.byEntity.filter { $0.key != entity.id }.values.reduce(0, +)
            let misrouted = orders.filter { $0.legalEntityID != entity.id && counters.orders.contains($0.id) }.count
            say(
                "  sandbox ERP \(entity.erpInstance) (\(entity.id), \(entity.currency.code)): booked \(counters.salesOrders) sales orders, \(counters.invoices) invoices, \(counters.creditMemos) credit memos (\(counters.unreadable) unreadable, \(foreign) of another entity)"
            )
            say(
                "    hub recorded its numbers: sales order on \(salesOrders)/\(invoiced.count) invoiced orders, invoice on \(invoices)/\(invoiced.count)\(example.map { " (e.g. \($0))" } ?? "")"
            )
            if salesOrders != invoiced.count || invoices != invoiced.count || counters.unreadable > 0 {
                problems.append("ERP \(entity.erpInstance): numbers missing on invoiced orders of \(entity.id)")
            }
            if foreign > 0 || misrouted > 0 {
                problems.append("ERP \(entity.erpInstance): \(foreign + misrouted) document(s) of another legal entity")
            }
            if counters.creditMemos != credits {
                problems.append("ERP \(entity.erpInstance): \(counters.creditMemos) credit memos booked, the hub issued \(credits) for \(entity.id)")
            }
            if invoiced.isEmpty { problems.append("ERP \(entity.erpInstance): no invoiced order of legal entity \(entity.id)") }
        }
        return problems
    }
}
