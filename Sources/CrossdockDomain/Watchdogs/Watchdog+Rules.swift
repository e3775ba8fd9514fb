import Foundation

extension Watchdog {
    /// A fulfilment order released to a WMS or 3PL with no acknowledgement, pick or shipment within the warehouse's
    /// deadline (`fulfillment_unacknowledged`).
    static func fulfillment(_ fact: WatchdogFacts.Fulfillment, deadlines: WatchdogDeadlines, now: Date) -> Finding {
        let order = fact.order
        let subject = "\(OperationsException.Kind.fulfillmentUnacknowledged.rawValue):\(order.id)"
        switch order.status {
        case .inProgress: return Finding(subject: subject, verdict: .clear("the warehouse reported a pick"))
        case .closed, .incomplete: return Finding(subject: subject, verdict: .clear("the warehouse shipped it"))
        case .cancelled: return Finding(subject: subject, verdict: .clear("the warehouse confirmed its cancellation"))
        case .cancellationRequested: return Finding(subject: subject, verdict: .clear("a cancellation was requested"))
        case .released: break
        }
        if let at = fact.acknowledgedAt {
            return Finding(subject: subject, verdict: .clear("the warehouse acknowledged it at \(text(at))"))
        }
        let limit = deadlines.fulfillmentAcknowledgement(warehouse: order.warehouseID)
        let due = order.releasedAt.addingTimeInterval(limit)
        guard now >= due else { return Finding(subject: subject, verdict: .clear("due by \(text(due))")) }
        return Finding(
            subject: subject,
            verdict: .breached(
                Breach(
                    key: subject,
                    kind: .fulfillmentUnacknowledged,
                    detail: "released to \(order.warehouseID) at \(text(order.releasedAt)); no acknowledgement or pick within "
                        + "\(Int(limit / 60)) minutes",
                    orderID: order.orderID,
                    fulfillmentOrderID: order.id,
                    partner: order.warehouseID,
                    dueAt: due
                )
            )
        )
    }

    /// A shipment with no carrier scan within the carrier's business days (`shipment_silent`), and one still in transit
    /// past the carrier's estimated delivery plus grace (`shipment_overdue`).
    static func shipment(_ shipment: Shipment, deadlines: WatchdogDeadlines, now: Date) -> [Finding] {
        let silent = "\(OperationsException.Kind.shipmentSilent.rawValue):\(shipment.id)"
        let overdue = "\(OperationsException.Kind.shipmentOverdue.rawValue):\(shipment.id)"
        let tracking = shipment.tracking
        if tracking.status == .delivered {
            let reason = "delivered at \(text(tracking.deliveredAt ?? now))"
            return [Finding(subject: silent, verdict: .clear(reason)), Finding(subject: overdue, verdict: .clear(reason))]
        }
        if [TrackingStatus.exception, .lostSuspected, .returnedToSender, .cancelled].contains(tracking.status) {
            let reason = "the carrier reported \(tracking.status.rawValue)"
            return [Finding(subject: silent, verdict: .clear(reason)), Finding(subject: overdue, verdict: .clear(reason))]
        }
        // The package heard from least recently sets the silence: one silent parcel of several is still lost.
        let waiting = tracking.packages.filter { $0.status != .delivered }
        let lastScan = waiting.map { $0.lastOccurredAt ?? shipment.shippedAt }.min() ?? shipment.shippedAt
        let days = deadlines.scanBusinessDays(carrier: shipment.carrier)
        let scanDue = adding(businessDays: days, to: lastScan)
        let silence: Finding
        if now >= scanDue {
            silence = Finding(
                subject: silent,
                verdict: .breached(
                    Breach(
                        key: "\(silent)@\(stamp(lastScan))",
                        kind: .shipmentSilent,
                        detail: "no \(shipment.carrier) scan since \(text(lastScan)) (\(days) business days)",
                        orderID: shipment.orderID,
                        shipmentID: shipment.id,
                        fulfillmentOrderID: shipment.fulfillmentOrderID,
                        partner: shipment.carrier,
                        dueAt: scanDue
                    )
                )
            )
        } else {
            silence = Finding(subject: silent, verdict: .clear("carrier scan at \(text(lastScan)); next due by \(text(scanDue))"))
        }
        guard let eta = tracking.estimatedDeliveryAt else {
            return [silence, Finding(subject: overdue, verdict: .clear("no estimated delivery"))]
        }
        let grace = deadlines.transitGrace(carrier: shipment.carrier)
        let etaDue = eta.addingTimeInterval(grace)
        guard now >= etaDue else {
            return [silence, Finding(subject: overdue, verdict: .clear("estimated delivery \(text(eta))"))]
        }
        let late = Breach(
            key: "\(overdue)@\(stamp(eta))",
            kind: .shipmentOverdue,
            detail: "still \(tracking.status.rawValue) with \(shipment.carrier) past its estimated delivery \(text(eta)) plus "
                + "\(Int(grace / 3600)) hours",
            orderID: shipment.orderID,
            shipmentID: shipment.id,
            fulfillmentOrderID: shipment.fulfillmentOrderID,
            partner: shipment.carrier,
            dueAt: etaDue
        )
        return [silence, Finding(subject: overdue, verdict: .breached(late))]
    }

    /// The documents the partner must acknowledge with a 997.
    static let acknowledgedSets: Set<String> = ["855", "856", "810", "940"]

    /// An outbound 855, 856, 810 or 940 without its 997 within the partner's hours (`edi_unacknowledged`), and one a
    /// 997 rejected (`edi_rejected`).
    static func document(_ document: WatchdogFacts.OutboundDocument, deadlines: WatchdogDeadlines, now: Date) -> [Finding] {
        guard acknowledgedSets.contains(document.transactionSet) else { return [] }
        let missing = "\(OperationsException.Kind.ediUnacknowledged.rawValue):\(document.id)"
        let refused = "\(OperationsException.Kind.ediRejected.rawValue):\(document.id)"
        let name = "\(document.transactionSet) \(document.reference) to \(document.partnerID)"
        let answered = "997 received at \(text(document.acknowledgedAt ?? now)): \(document.status.rawValue)"
        switch document.status {
        case .acknowledged, .acknowledgedWithErrors:
            return [Finding(subject: missing, verdict: .clear(answered)), Finding(subject: refused, verdict: .clear(answered))]
        case .rejected:
            let breach = Breach(
                key: refused,
                kind: .ediRejected,
                detail: "\(name) rejected by its 997" + (document.detail.map { ": \($0)" } ?? ""),
                orderID: document.orderID ?? "",
                partner: document.partnerID,
                documentID: document.id,
                dueAt: document.acknowledgedAt ?? now
            )
            return [Finding(subject: missing, verdict: .clear(answered)), Finding(subject: refused, verdict: .breached(breach))]
        case .sent:
            let limit = deadlines.ediAcknowledgement(partner: document.partnerID)
            let due = document.createdAt.addingTimeInterval(limit)
            guard now >= due else { return [Finding(subject: missing, verdict: .clear("997 due by \(text(due))"))] }
            let breach = Breach(
                key: missing,
                kind: .ediUnacknowledged,
                detail: "\(name) sent at \(text(document.createdAt)); no 997 within "
                    + (Int(limit) % 3600 == 0 ? "\(Int(limit / 3600)) hours" : "\(Int(limit / 60)) minutes"),
                orderID: document.orderID ?? "",
                partner: document.partnerID,
                documentID: document.id,
                dueAt: due
            )
            return [Finding(subject: missing, verdict: .breached(breach))]
        }
    }

    /// A backordered line whose promised date (plus the channel's grace days) passed without a receipt to fill it, or
    /// that is promised for today or earlier while the receipt it waits for is late: an open receipt of its SKU expected
    /// before today (plus the grace days) that has not arrived (`backorder_overdue`). Promising counts past-due supply
    /// as arriving today, so the second is known a day before the first.
    static func backorder(_ fact: WatchdogFacts.Backorder, deadlines: WatchdogDeadlines, now: Date) -> Finding {
        let subject = "\(OperationsException.Kind.backorderOverdue.rawValue):\(fact.orderID):\(fact.line.lineNo)"
        guard fact.line.backordered > 0 else {
            return Finding(subject: subject, verdict: .clear("the backorder was filled or cancelled"))
        }
        guard let date = fact.line.promisedDate, let promised = BusinessDay(date) else {
            return Finding(subject: subject, verdict: .clear("no promised date"))
        }
        let grace = deadlines.backorderGraceDays(channel: fact.channel)
        let overdueOn = promised.advanced(by: grace + 1)
        let today = BusinessDay(containing: now)
        guard today >= overdueOn else {
            if promised <= today, let late = fact.lateReceipts.filter({ $0.remaining > 0 }).min(by: { $0.expectedDate < $1.expectedDate }),
                today >= late.expectedDate.advanced(by: grace + 1)
            {
                let waitedFor = late.reference.map { "\($0) (receipt \(late.id))" } ?? "receipt \(late.id)"
                let breach = Breach(
                    key: "\(subject)@receipt:\(late.id)@\(late.expectedDate)",
                    kind: .backorderOverdue,
                    detail: "\(fact.line.backordered) of \(fact.line.sku) promised for \(promised) wait for \(waitedFor), "
                        + "expected \(late.expectedDate) at \(late.warehouseID) and not yet received",
                    orderID: fact.orderID,
                    lineNo: fact.line.lineNo,
                    partner: fact.channel,
                    dueAt: Date(timeIntervalSince1970: TimeInterval(late.expectedDate.advanced(by: grace + 1).daysSince1970) * 86_400)
                )
                return Finding(subject: subject, verdict: .breached(breach))
            }
            return Finding(subject: subject, verdict: .clear("promised for \(promised)"))
        }
        let breach = Breach(
            key: "\(subject)@\(promised)",
            kind: .backorderOverdue,
            detail: "\(fact.line.backordered) of \(fact.line.sku) promised for \(promised) not yet received",
            orderID: fact.orderID,
            lineNo: fact.line.lineNo,
            partner: fact.channel,
            dueAt: Date(timeIntervalSince1970: TimeInterval(overdueOn.daysSince1970) * 86_400)
        )
        return Finding(subject: subject, verdict: .breached(breach))
    }

    /// A channel that was sending orders and has been silent for longer than its silence factor times its usual gap
    /// (the median of its latest gaps), and at least its minimum (`channel_silent`). Needs three orders to know a gap.
    static func channel(_ activity: WatchdogFacts.ChannelActivity, deadlines: WatchdogDeadlines, now: Date) -> Finding? {
        let subject = "\(OperationsException.Kind.channelSilent.rawValue):\(activity.channel)"
        let arrivals = activity.arrivals.sorted(by: >)
        guard let last = arrivals.first else { return nil }
        guard arrivals.count >= 3 else { return Finding(subject: subject, verdict: .clear("an order arrived at \(text(last))")) }
        let gaps = zip(arrivals, arrivals.dropFirst()).map { $0.0.timeIntervalSince($0.1) }.sorted()
        let usual = gaps[gaps.count / 2]
        let factor = deadlines.silenceFactor(channel: activity.channel)
        let limit = max(usual * Double(factor), deadlines.minimumSilence(channel: activity.channel))
        let due = last.addingTimeInterval(limit)
        guard now >= due else { return Finding(subject: subject, verdict: .clear("an order arrived at \(text(last))")) }
        let breach = Breach(
            key: "\(subject)@\(stamp(last))",
            kind: .channelSilent,
            detail: "no order from \(activity.channel) since \(text(last)); its usual gap is \(Int(usual / 60)) minutes",
            orderID: "",
            partner: activity.channel,
            dueAt: due
        )
        return Finding(subject: subject, verdict: .breached(breach))
    }

    /// `date` moved forward by `days` business days (Monday to Friday, UTC), keeping the time of day: Friday 10:00 plus
    /// one is Monday 10:00, and so is Saturday 10:00 plus one.
    public static func adding(businessDays days: Int, to date: Date) -> Date {
        var result = date
        var remaining = days
        while remaining > 0 {
            result = result.addingTimeInterval(86_400)
            if !BusinessDay(containing: result).isWeekend { remaining -= 1 }
        }
        return result
    }
}

extension BusinessDay {
    /// Whether the day is a Saturday or a Sunday (1970-01-01 was a Thursday).
    public var isWeekend: Bool {
        let weekday = ((daysSince1970 % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }
}
