/// Authorises and receives returns. Pure.
///
/// Limits per original order line: authorised ≤ shipped − already authorised on the order's non-cancelled RMAs;
/// received ≤ authorised − already received on the RMA.
public enum Returns {
    /// Validates a return request and builds the RMA lines.
    /// - Parameters:
    ///   - request: the lines asked for, each with a positive quantity and a reason; each order line at most once.
    ///   - shipped: every line of the order with its SKU and shipped units (0 when none shipped yet).
    ///   - alreadyAuthorized: units per line on the order's other non-cancelled RMAs
    ///     (see ``authorizedQuantities(_:)``).
    /// - Returns: the RMA lines, in request order, nothing received.
    /// - Throws: ``BillingError`` `invalid_quantities` naming every offending field, e.g. `lines[0].quantity`:
    ///   "3 exceeds the 2 unit(s) shipped and not yet returned".
    public static func authorize(
        request: [(lineNo: Int, quantity: Int, reason: String)],
        shipped: [Int: (sku: String, quantity: Int)],
        alreadyAuthorized: [Int: Int]
    ) throws(BillingError) -> [ReturnAuthorization.Line] {
        var errors: [IntakeError.FieldError] = []
        if request.isEmpty { errors.append(.init(field: "lines", reason: "must contain at least one line")) }
        var seen: [Int: Int] = [:]
        var lines: [ReturnAuthorization.Line] = []
        for (index, item) in request.enumerated() {
            let path = "lines[\(index)]"
            if let first = seen[item.lineNo] {
                errors.append(.init(field: "\(path).lineNo", reason: "duplicates lines[\(first)] (line \(item.lineNo))"))
                continue
            }
            seen[item.lineNo] = index
            guard let line = shipped[item.lineNo] else {
                errors.append(.init(field: "\(path).lineNo", reason: "the order has no line \(item.lineNo)"))
                continue
            }
            guard line.quantity > 0 else {
                errors.append(.init(field: "\(path).lineNo", reason: "line \(item.lineNo) has not shipped"))
                continue
            }
            guard item.quantity > 0 else {
                errors.append(.init(field: "\(path).quantity", reason: "must be positive, got \(item.quantity)"))
                continue
            }
            let returnable = max(0, line.quantity - alreadyAuthorized[item.lineNo, default: 0])
            guard item.quantity <= returnable else {
                errors.append(
                    .init(field: "\(path).quantity", reason: "\(item.quantity) exceeds the \(returnable) unit(s) shipped and not yet returned")
                )
                continue
            }
            lines.append(ReturnAuthorization.Line(lineNo: item.lineNo, sku: line.sku, quantityAuthorized: item.quantity, reason: item.reason))
        }
        guard errors.isEmpty else {
            throw BillingError(code: "invalid_quantities", message: "the return cannot be authorised", errors: errors)
        }
        return lines
    }

    /// Records units arriving at the warehouse against an RMA.
    /// - Parameters:
    ///   - rma: the RMA; must be `authorized` or `partially_received`.
    ///   - lines: units received per RMA line and what happens to them; a line may appear more than once
    ///     (e.g. some restocked, some scrapped); the sum per line must not exceed what is outstanding.
    /// - Returns: the RMA (status `partially_received` or `received`, version + 1), the units to put back into
    ///   stock per SKU (first-seen order; scrapped units are not listed) and the units received per line.
    /// - Throws: ``BillingError`` `illegal_transition` when the RMA is `received` or `cancelled`, or
    ///   `invalid_quantities` naming every offending field.
    public static func receive(
        _ rma: ReturnAuthorization,
        lines: [(lineNo: Int, quantity: Int, condition: ReturnAuthorization.Condition)]
    ) throws(BillingError) -> (rma: ReturnAuthorization, restock: [(sku: String, quantity: Int)], received: [Int: Int]) {
        guard !rma.status.isTerminal else {
            throw BillingError(
                code: "illegal_transition",
                message: "return authorization \(rma.number) is \(rma.status.rawValue); 'receive' is not allowed",
                errors: []
            )
        }
        var errors: [IntakeError.FieldError] = []
        if lines.isEmpty { errors.append(.init(field: "lines", reason: "must contain at least one line")) }
        var result = rma
        var received: [Int: Int] = [:]
        var restock: [(sku: String, quantity: Int)] = []
        for (index, item) in lines.enumerated() {
            let path = "lines[\(index)]"
            guard let position = result.lines.firstIndex(where: { $0.lineNo == item.lineNo }) else {
                errors.append(.init(field: "\(path).lineNo", reason: "return authorization \(rma.number) has no line \(item.lineNo)"))
                continue
            }
            guard item.quantity > 0 else {
                errors.append(.init(field: "\(path).quantity", reason: "must be positive, got \(item.quantity)"))
                continue
            }
            let outstanding = result.lines[position].quantityOutstanding
            guard item.quantity <= outstanding else {
                errors.append(
                    .init(field: "\(path).quantity", reason: "\(item.quantity) exceeds the \(outstanding) unit(s) authorised and not yet received")
                )
                continue
            }
            result.lines[position].quantityReceived += item.quantity
            received[item.lineNo, default: 0] += item.quantity
            switch item.condition {
            case .restock:
                result.lines[position].quantityRestocked += item.quantity
                let sku = result.lines[position].sku
                if let existing = restock.firstIndex(where: { $0.sku == sku }) {
                    restock[existing].quantity += item.quantity
                } else {
                    restock.append((sku: sku, quantity: item.quantity))
                }
            case .scrap:
                result.lines[position].quantityScrapped += item.quantity
            }
        }
        guard errors.isEmpty else {
            throw BillingError(code: "invalid_quantities", message: "the receipt does not fit return authorization \(rma.number)", errors: errors)
        }
        result.status = result.lines.allSatisfy { $0.quantityOutstanding <= 0 } ? .received : .partiallyReceived
        result.version += 1
        return (rma: result, restock: restock, received: received)
    }

    /// Cancels an RMA on which nothing has been received.
    /// - Parameter rma: the RMA; must be `authorized`.
    /// - Returns: the RMA, `cancelled`, version + 1.
    /// - Throws: ``BillingError`` `illegal_transition` naming the current status otherwise.
    public static func cancel(_ rma: ReturnAuthorization) throws(BillingError) -> ReturnAuthorization {
        guard rma.status == .authorized else {
            throw BillingError(
                code: "illegal_transition",
                message: "return authorization \(rma.number) is \(rma.status.rawValue); 'cancel' is not allowed",
                errors: []
            )
        }
        var result = rma
        result.status = .cancelled
        result.version += 1
        return result
    }

    /// Units authorised per order line on the non-cancelled RMAs among `rmas` (the `alreadyAuthorized` input of
    /// ``authorize(request:shipped:alreadyAuthorized:)``).
    /// - Parameter rmas: the order's RMAs.
    /// - Returns: units by line number.
    public static func authorizedQuantities(_ rmas: [ReturnAuthorization]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for rma in rmas where rma.status != .cancelled {
            for line in rma.lines { result[line.lineNo, default: 0] += line.quantityAuthorized }
        }
        return result
    }
}
