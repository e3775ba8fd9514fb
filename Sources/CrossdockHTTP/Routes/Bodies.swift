import CrossdockDomain
import CrossdockStore
import Foundation

/// `PUT /v1/customers/{id}` body; optional members take the documented defaults.
struct CustomerBody: Decodable {
    var id: String?
    var name: String
    var status: Customer.Status?
    var creditLimit: Money
    var openBalance: Money?
    var creditHold: Customer.CreditHold?
    var paymentTerms: Customer.PaymentTerms?
    var billTo: Address
    var shipTo: [ShipTo]
    var priceListId: String
    var shipPolicy: ShipPolicy?
    var allowSubstitution: Bool?
    var taxExempt: Bool?
    var contracts: [PriceContract]?
    var legalEntityId: String?

    func customer(id: String) -> Customer {
        Customer(
            id: id,
            name: name,
            status: status ?? .active,
            creditLimit: creditLimit,
            openBalance: openBalance ?? .zero(creditLimit.currency),
            creditHold: creditHold,
            paymentTerms: paymentTerms ?? .init(code: "NET30", netDays: 30),
            billTo: billTo,
            shipTo: shipTo,
            priceListID: priceListId,
            shipPolicy: shipPolicy ?? .shipPartial,
            allowSubstitution: allowSubstitution ?? false,
            taxExempt: taxExempt ?? false,
            contracts: contracts ?? [],
            legalEntityID: legalEntityId
        )
    }
}

/// `PUT /v1/products/{sku}` body.
struct ProductBody: Decodable {
    var sku: String?
    var description: String
    var unitOfMeasure: String?
    var gtin: String?
    var substitutes: [Product.Substitute]?
    var status: Product.Status?
    var units: [Product.Unit]?

    func product(sku: String) -> Product {
        Product(
            sku: sku,
            description: description,
            unitOfMeasure: unitOfMeasure ?? "EA",
            gtin: gtin,
            substitutes: substitutes ?? [],
            status: status ?? .active,
            units: units ?? []
        )
    }
}

/// `PUT /v1/warehouses/{id}` body.
struct WarehouseBody: Decodable {
    var id: String?
    var name: String
    var region: String
    var priority: Int
    var address: Address?
    var partner: String?
}

/// `PUT /v1/price-lists/{id}` body.
struct PriceListBody: Decodable {
    var id: String?
    var currency: Currency
    var entries: [PriceList.Entry]
}

extension Array where Element == IntakeError.FieldError {
    /// Checks price entries (a price list's or a contract's) under `path`: price range, break, unit and dates.
    mutating func check(entries: [PriceList.Entry], at path: String) {
        for (index, entry) in entries.enumerated() {
            let at = "\(path)[\(index)]"
            check(entry.sku.isEmpty, "\(at).sku", "must not be empty")
            check(entry.unitPrice < 0 || entry.unitPrice > OrderIntake.maxUnitPrice, "\(at).unitPrice", "must be 0...\(OrderIntake.maxUnitPrice)")
            check(entry.minQuantity < 1, "\(at).minQuantity", "must be at least 1")
            check(entry.unitOfMeasure?.isEmpty ?? false, "\(at).unitOfMeasure", "must not be empty (leave it out for the base unit)")
            check(dates(entry.validFrom, entry.validTo, at: at))
        }
    }

    /// Checks a `validFrom`/`validTo` pair: real dates, from ≤ to.
    mutating func check(_ problems: [IntakeError.FieldError]) { append(contentsOf: problems) }

    /// The problems of a `validFrom`/`validTo` pair under `path`.
    func dates(_ from: String?, _ to: String?, at path: String) -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        for (name, value) in [("validFrom", from), ("validTo", to)] {
            if let value, BusinessDay(value) == nil { errors.append(.init(field: "\(path).\(name)", reason: "must be a date YYYY-MM-DD")) }
        }
        if let from, let to, BusinessDay(from) != nil, BusinessDay(to) != nil, from > to {
            errors.append(.init(field: "\(path).validTo", reason: "must not be before validFrom"))
        }
        return errors
    }
}

/// `PUT /v1/tax-rates/{region}` body.
struct TaxRateBody: Decodable {
    var ratePpm: Int64
}

/// `POST /v1/fulfillments/{id}/events` body.
struct FeedbackBody: Decodable {
    enum Kind: String, Decodable {
        case picked
        case shortPicked = "short_picked"
        case shipped
        case cancelAccepted = "cancel_accepted"
        case cancelRefused = "cancel_refused"
    }

    var type: Kind
    var lines: [LineQuantity]?
    var reason: String?
    var carrier: String?
    var service: String?
    var shippedAt: Date?
    var packages: [Shipment.Package]?
}

/// `POST /v1/subscriptions` body.
struct SubscriptionBody: Decodable {
    var url: String
    var eventTypes: [String]
    var secret: String?
    var settings: SubscriptionSettings?
}

/// `POST /v1/subscriptions/{id}/rotate-secret` body.
struct RotateSecretBody: Decodable {
    var secret: String?
    /// How long the old secret keeps being signed with, in seconds (default 86 400).
    var overlapSeconds: Int?
}

extension Array where Element == IntakeError.FieldError {
    /// Adds `reason` for `field` when `failed`.
    mutating func check(_ failed: Bool, _ field: String, _ reason: String) {
        if failed { append(.init(field: field, reason: reason)) }
    }
}

/// `POST /v1/orders/{id}/cancel` body.
struct CancelBody: Decodable {
    var lines: [LineQuantity]?
    var reason: String?
}

/// `POST /v1/orders/{id}/release-hold` body.
struct ReleaseHoldBody: Decodable {
    var actor: String?
    var note: String?
}

/// `POST /v1/exceptions/{id}/resolve` body.
struct ResolveBody: Decodable {
    var resolution: OperationsException.Resolution
    var note: String?
    var substituteSku: String?
}

/// `POST /v1/exceptions/{id}/assign` body.
struct AssignBody: Decodable {
    var assignee: String
}

/// `POST /v1/exceptions/{id}/comments` body.
struct CommentBody: Decodable {
    var text: String
}

/// `POST /v1/returns` body.
struct ReturnBody: Decodable {
    struct Line: Decodable {
        var lineNo: Int
        var quantity: Int
        var reason: String?
    }
    var orderId: String
    var lines: [Line]
    var warehouseId: String?
}

/// `POST /v1/returns/{id}/receipts` body.
struct ReturnReceiptBody: Decodable {
    struct Line: Decodable {
        var lineNo: Int
        var quantity: Int
        var condition: ReturnAuthorization.Condition
    }
    var lines: [Line]
}

/// `POST /v1/inventory/receipts/{id}/arrivals` body.
struct ArrivalBody: Decodable {
    var quantity: Int
}

/// `PUT /v1/region-preferences/{region}` body.
struct RegionPreferenceBody: Decodable {
    var warehouses: [String]
}
