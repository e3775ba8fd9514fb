import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation

extension EDIInbound {
    /// What acting on one accepted set produced: its outcome and the acknowledgments (855s) to send.
    struct Action {
        var outcome: DocumentOutcome
        var acknowledgments: [EDIIssuer.Document] = []
    }

    /// Acts on one accepted, decoded set.
    func act(on document: X12Document, set: X12TransactionSet, partner: TradingPartner) async throws -> Action {
        switch document {
        case .purchaseOrder(let order): return try await book(order, set: set, partner: partner)
        case .warehouseShippingAdvice(let advice): return try await ship(advice, set: set, partner: partner)
        case .functionalAcknowledgment(let acknowledgment): return try await record(acknowledgment, set: set, partner: partner)
        default:
            return Action(
                outcome: .init(
                    transactionSet: set.id,
                    controlNumber: set.controlNumber,
                    status: "rejected",
                    reference: "",
                    detail: "the hub does not act on \(set.id) from a partner"
                )
            )
        }
    }

    /// An 850: maps it to the intake command and submits it; the 855 reports the decision line by line. A PO that
    /// cannot be mapped or that intake refuses is answered by an 855 `RD`; a PO sent again answers nothing new.
    func book(_ purchaseOrder: PurchaseOrder, set: X12TransactionSet, partner: TradingPartner) async throws -> Action {
        var outcome = DocumentOutcome(transactionSet: "850", controlNumber: set.controlNumber, status: "accepted", reference: purchaseOrder.number)
        let date = X12DateFormat.stamp(now()).date
        let wants855 = partner.outbound.contains("855")
        let gtins = try await gtinTable(purchaseOrder)
        var request: OrderRequest
        do {
            request = try purchaseOrder.orderRequest(for: partner, from: set) { gtins[$0] }
        } catch {
            outcome.status = "rejected"
            outcome.detail = error.errors.prefix(5).map(\.description).joined(separator: "; ")
            return Action(outcome: outcome, acknowledgments: wants855 ? [rejection(purchaseOrder, date: date, partner: partner)] : [])
        }
        try await useOneTimeShipTo(purchaseOrder, in: &request)
        do {
            let reply = try await orders.submit(request, idempotency: nil)
            let order = try JSONCoding.decoder().decode(SalesOrder.self, from: Data(reply.body))
            outcome.orderID = order.id
            if order.status == .rejected { outcome.detail = order.reasons.map(\.message).joined(separator: "; ") }
            guard wants855 else { return Action(outcome: outcome) }
            let acknowledgment = PurchaseOrderAcknowledgment(order: order, purchaseOrder: purchaseOrder, date: date)
            return Action(
                outcome: outcome,
                acknowledgments: [.init(set: acknowledgment.transactionSet(), reference: purchaseOrder.number, orderID: order.id)]
            )
        } catch let error as EngineError where error.code == "duplicate_order" {
            // Received before. Its 855 normally went out then; offering it again covers a crash between booking and
            // issuing (a second 855 for the same PO is refused by the store, so none is sent twice).
            outcome.orderID = error.extra["existingOrderId"]
            outcome.detail = "already received"
            guard wants855, let id = outcome.orderID, let order = try await store.order(id) else { return Action(outcome: outcome) }
            let acknowledgment = PurchaseOrderAcknowledgment(order: order, purchaseOrder: purchaseOrder, date: date)
            return Action(
                outcome: outcome,
                acknowledgments: [.init(set: acknowledgment.transactionSet(), reference: purchaseOrder.number, orderID: order.id)]
            )
        } catch let error as EngineError where error.kind == .invalid {
            outcome.status = "rejected"
            outcome.detail = ([error.message] + error.errors.map { "\($0.field): \($0.reason)" }).joined(separator: "; ")
            return Action(outcome: outcome, acknowledgments: wants855 ? [rejection(purchaseOrder, date: date, partner: partner)] : [])
        }
    }

    /// The 855 `RD` for a PO the hub refused before creating an order.
    func rejection(_ purchaseOrder: PurchaseOrder, date: String, partner: TradingPartner) -> EDIIssuer.Document {
        let acknowledgment = PurchaseOrderAcknowledgment.rejecting(purchaseOrder, date: date)
        // A refused PO may come back corrected under the same number: its RD is recorded under a reference of its own,
        // so the 855 for the corrected PO (reference: the PO number) still goes out.
        return .init(set: acknowledgment.transactionSet(), reference: "\(purchaseOrder.number) RD \(IDs.make())", orderID: nil)
    }

    /// SKUs of the GTIN/UPC ids the PO's lines carry, read from the product master.
    func gtinTable(_ purchaseOrder: PurchaseOrder) async throws -> [String: String] {
        var table: [String: String] = [:]
        let qualifiers: Set<String> = ["UP", "UK", "EN", "UA", "UI"]
        for line in purchaseOrder.lines {
            for item in line.items where qualifiers.contains(item.qualifier) && table[item.id] == nil {
                if let sku = try await store.productSKU(gtin: item.id) {
                    table[item.id] = sku
                } else if item.id.count < 14, let sku = try await store.productSKU(gtin: String(repeating: "0", count: 14 - item.id.count) + item.id)
                {
                    table[item.id] = sku
                }
            }
        }
        return table
    }

    /// An ST party whose location code the account does not know, but which carries an address, ships there once.
    func useOneTimeShipTo(_ purchaseOrder: PurchaseOrder, in request: inout OrderRequest) async throws {
        guard let party = purchaseOrder.party("ST"), let city = party.city, !party.addressLines.isEmpty else { return }
        let known = try await store.customer(request.customerID)?.shipTo.contains { $0.code == request.shipToCode } ?? false
        guard !known else { return }
        request.shipToAddress = Address(
            name: party.name ?? "Ship-to",
            lines: party.addressLines,
            city: city,
            region: [party.country ?? "US", party.state ?? ""].joined(separator: "-"),
            postalCode: party.postalCode ?? "",
            country: party.country ?? "US"
        )
    }

    /// A 945 from a 3PL: ships the fulfilment order it names (W0602) as the warehouse would through the API.
    func ship(_ advice: WarehouseShippingAdvice, set: X12TransactionSet, partner: TradingPartner) async throws -> Action {
        let reference = advice.depositorOrderNumber ?? ""
        var outcome = DocumentOutcome(transactionSet: "945", controlNumber: set.controlNumber, status: "accepted", reference: reference)
        func refuse(_ detail: String) -> Action {
            outcome.status = "rejected"
            outcome.detail = detail
            return Action(outcome: outcome)
        }
        guard partner.role == .warehouse, let warehouseID = partner.warehouseID else {
            return refuse("partner \(partner.id) is not a warehouse partner")
        }
        let stored =
            if let found = try await store.fulfillment(reference) { found } else if let id = X12Identifier.expand(reference) {
                try await store.fulfillment(id)
            } else { nil as FulfillmentOrder? }
        guard let fulfillment = stored else { return refuse("W0602: no fulfilment order \(reference)") }
        guard fulfillment.warehouseID == warehouseID else {
            return refuse("W0602: fulfilment order \(reference) belongs to \(fulfillment.warehouseID), not \(warehouseID)")
        }
        outcome.reference = fulfillment.id
        outcome.orderID = fulfillment.orderID
        let feedback: FulfillmentFeedback
        do {
            feedback = try advice.fulfillmentFeedback(for: fulfillment)
        } catch {
            return refuse(error.errors.prefix(5).map(\.description).joined(separator: "; "))
        }
        let key = "945:\(advice.shipmentID ?? reference):\(set.controlNumber)"
        let idempotency = IdempotencyContext(scope: "edi:\(partner.id)", key: key, requestHash: ChannelIntake.hash(Array(key.utf8)))
        do {
            _ = try await orders.applyFeedback(feedback, fulfillmentID: fulfillment.id, idempotency: idempotency)
        } catch let error as EngineError where error.kind != .unavailable {
            return refuse("\(error.code): \(error.message)")
        }
        return Action(outcome: outcome)
    }

    /// A 997 for our documents: records each set's status against what we sent in that group.
    func record(_ acknowledgment: FunctionalAcknowledgment, set: X12TransactionSet, partner: TradingPartner) async throws -> Action {
        var statuses: [String: (status: String, detail: String?)] = [:]
        for response in acknowledgment.sets {
            let status =
                switch response.status {
                case .accepted: "acknowledged"
                case .acceptedWithErrors, .partiallyAccepted: "acknowledged_with_errors"
                default: "rejected"
                }
            let notes = response.segments.map { "\($0.segmentID)@\($0.position) \($0.code ?? "")" } + response.codes.map { "AK502 \($0)" }
            statuses[response.controlNumber] = (status, notes.isEmpty ? nil : notes.joined(separator: ", "))
        }
        let changed = try await store.recordAcknowledgment(
            partnerID: partner.id,
            groupControl: acknowledgment.groupControlNumber,
            statuses: statuses,
            at: now()
        )
        var outcome = DocumentOutcome(
            transactionSet: "997",
            controlNumber: set.controlNumber,
            status: "accepted",
            reference: "\(acknowledgment.functionalID) \(acknowledgment.groupControlNumber)"
        )
        if changed == 0 { outcome.detail = "no document of ours matches group \(acknowledgment.groupControlNumber)" }
        return Action(outcome: outcome)
    }
}
