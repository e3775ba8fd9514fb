import CrossdockDomain
import CrossdockStore
import Foundation

/// The one-line summaries and the systems of ``OrderTrace`` steps.
enum TraceSummaries {
    /// The system an event of short type `type` happened in.
    static func system(_ type: String, order: SalesOrder) -> String {
        switch type {
        case "order.received": "channel:\(order.channel)"
        case "shipment.shipped": "warehouse"
        case _ where type.hasPrefix("fulfillment."): "warehouse"
        case _ where type.hasPrefix("shipment."): "carrier"
        case _ where type.hasPrefix("invoice.") || type.hasPrefix("credit_memo."): "billing"
        case _ where type.hasPrefix("return."): "returns"
        case _ where type.hasPrefix("edi."): "edi"
        case _ where type.hasPrefix("channel."): "channel:\(order.channel)"
        default: "hub"
        }
    }

    /// Scalar members of an event's data worth a place in its summary, in this order.
    static let members = ["status", "warehouseId", "carrier", "trackingNumber", "number", "reason", "resolution", "code", "message"]

    /// The step of one event of the order.
    static func step(for event: CloudEvent, order: SalesOrder) -> OrderTrace.Step {
        let type = event.shortType
        var parts: [String] = []
        for name in members {
            if let text = scalar(event.data[name]) { parts.append("\(name) \(text)") }
        }
        if let reasons = event.data["reasons"], case .array(let list) = reasons {
            let messages = list.compactMap { $0["message"]?.stringValue ?? $0["code"]?.stringValue }
            if !messages.isEmpty { parts.append("reasons: " + messages.joined(separator: "; ")) }
        }
        let head = event.subject == order.id ? type : "\(type) \(event.subject)"
        return OrderTrace.Step(
            time: event.time,
            system: system(type, order: order),
            kind: type,
            summary: parts.isEmpty ? head : "\(head): \(parts.prefix(4).joined(separator: ", "))",
            ref: event.id,
            traceId: traceID(event.traceparent)
        )
    }

    /// The trace id of a W3C `traceparent` (`00-<trace id>-<parent id>-<flags>`), if it is one.
    static func traceID(_ traceparent: String?) -> String? {
        guard let parts = traceparent?.split(separator: "-"), parts.count == 4, parts[1].count == 32,
            parts[1].allSatisfy(\.isHexDigit), parts[1] != String(repeating: "0", count: 32)
        else { return nil }
        return String(parts[1])
    }

    /// The step of an operations exception (when it was opened).
    static func step(for exception: OperationsException) -> OrderTrace.Step {
        OrderTrace.Step(
            time: exception.openedAt,
            system: "hub",
            kind: "exception",
            summary: "\(exception.kind.rawValue): \(exception.detail)",
            ref: exception.id,
            status: exception.status.rawValue
        )
    }

    /// The steps of an X12 document: sent or received, then its 997 when one came.
    static func steps(for document: EDIDocumentRecord) -> [OrderTrace.Step] {
        let way = document.direction == .inbound ? "received from" : "sent to"
        var steps = [
            OrderTrace.Step(
                time: document.createdAt,
                system: "edi:\(document.partnerID)",
                kind: "edi.\(document.transactionSet)",
                summary:
                    "X12 \(document.transactionSet) \(way) \(document.partnerID), reference \(document.reference), group \(document.groupControl)"
                    + ", set \(document.setControl)",
                ref: document.id,
                status: document.status
            )
        ]
        if let acknowledged = document.acknowledgedAt {
            steps.append(
                OrderTrace.Step(
                    time: acknowledged,
                    system: "edi:\(document.partnerID)",
                    kind: "edi.997",
                    summary:
                        "997 for \(document.transactionSet) \(document.setControl): \(document.status)\(document.detail.map { " (\($0))" } ?? "")",
                    ref: document.id,
                    status: document.status
                )
            )
        }
        return steps
    }

    /// The step of an outbound delivery of one of the order's events.
    static func step(for detail: DeliveryDetail, url: String?, eventTime: Date) -> OrderTrace.Step {
        let delivery = detail.delivery
        let type = EventType(qualifiedName: detail.eventType)?.name ?? detail.eventType
        let last = detail.history.last.map { attempt in
            ", last answer \(attempt.statusCode.map(String.init) ?? "none") in \(Int(attempt.latencyMs.rounded())) ms"
        }
        return OrderTrace.Step(
            time: detail.history.first?.at ?? eventTime,
            system: "subscription:\(delivery.subscriptionID)",
            kind: "delivery",
            summary: "\(type) to \(url ?? delivery.subscriptionID): \(delivery.status.rawValue) after \(detail.history.count) attempts"
                + (last ?? ""),
            ref: String(delivery.id),
            status: delivery.status.rawValue,
            attempts: detail.history
        )
    }

    /// A JSON scalar as text; nil for objects, arrays and null.
    static func scalar(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: number == number.rounded() ? String(Int64(number)) : String(number)
        case .bool(let flag)?: String(flag)
        default: nil
        }
    }

    /// `12.34 USD` (two decimals, as the reconciliation line writes amounts).
    static func amount(_ money: Money) -> String {
        let sign = money.minorUnits < 0 ? "-" : ""
        let units = money.minorUnits.magnitude
        let cents = units % 100
        return "\(sign)\(units / 100).\(cents < 10 ? "0" : "")\(cents) \(money.currency.code)"
    }
}
