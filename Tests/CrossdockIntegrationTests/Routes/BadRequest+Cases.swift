import CrossdockDomain
import Foundation
import HTTPTypes

/// The malformed requests ``BadInputTests`` sends, at least one per class of bad input.
extension BadRequest {
    static let product = #"{"description":"Pallet wrap","unitOfMeasure":"EA"}"#
    static let warehouse = #"{"name":"Dock","region":"US-NY","priority":1}"#
    static let adjustment = #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":5,"reason":"receipt"}"#

    static let all: [BadRequest] = [
        .init(
            .brokenJSON,
            "order cut short",
            .post,
            "/v1/orders",
            body: #"{"channel":"api","externalId":"#,
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(
            .brokenJSON,
            "customer with a trailing comma",
            .put,
            "/v1/customers/CUST-NEW",
            body: #"{"name":"A",}"#,
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(.brokenJSON, "subscription as an unclosed array", .post, "/v1/subscriptions", body: "[1,", .badRequest, "malformed_json", fields: []),
        .init(
            .wrongType,
            "quantity as a string",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-1", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":"2"}]"#),
            .unprocessableContent,
            "invalid_fields",
            fields: ["lines[0].quantity"]
        ),
        .init(
            .wrongType,
            "priority as a word",
            .put,
            "/v1/warehouses/WH-NEW",
            body: #"{"name":"Dock","region":"US-NY","priority":"high"}"#,
            .unprocessableContent,
            "invalid_fields",
            fields: ["priority"]
        ),
        .init(
            .wrongType,
            "body is an array",
            .post,
            "/v1/inventory/adjustments",
            body: "[]",
            .unprocessableContent,
            "invalid_fields",
            fields: ["body"]
        ),
        .init(
            .unknownField,
            "product colour",
            .put,
            "/v1/products/SKU-NEW",
            body: #"{"description":"x","colour":"red"}"#,
            .unprocessableContent,
            "unknown_fields",
            fields: ["colour"]
        ),
        .init(
            .unknownField,
            "nested in an order line",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-2", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":2,"gift":true}]"#),
            .unprocessableContent,
            "unknown_fields",
            fields: ["lines[0].gift"]
        ),
        .init(
            .hugeNumber,
            "quantity beyond Int64",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-3", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":99999999999999999999}]"#),
            .unprocessableContent,
            "invalid_fields",
            fields: ["lines[0].quantity"]
        ),
        .init(
            .unknownField,
            "in two order lines, one name given twice, and at the top",
            .post,
            "/v1/orders",
            body: orderJSON(
                externalID: "BI-5",
                lines:
                    #"[{"lineNo":1,"sku":"SKU-0010","quantity":2,"gift":true,"gift":false},{"lineNo":2,"sku":"SKU-0020","quantity":1,"gift":true}],"note":"x""#
            ),
            .unprocessableContent,
            "unknown_fields",
            fields: ["lines[0].gift", "lines[1].gift", "note"]
        ),
        .init(
            .unknownField,
            "product colour with an escaped member name",
            .put,
            "/v1/products/SKU-NEW",
            body: #"{"description":"x","col\u006fur":"red"}"#,
            .unprocessableContent,
            "unknown_fields",
            fields: ["colour"]
        ),
        .init(
            .brokenJSON,
            "order id with an escaped surrogate and no pair",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: #"PO-\ud800"#),
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(
            .hugeNumber,
            "quantity beyond Double",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-4", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":1e400}]"#),
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(
            .hugeNumber,
            "tax rate of 1e30 ppm",
            .put,
            "/v1/tax-rates/US-NY",
            body: #"{"ratePpm":1e30}"#,
            .unprocessableContent,
            "invalid_fields",
            fields: ["ratePpm"]
        ),
        .init(
            .hugeNumber,
            "adjustment of Int64.max units",
            .post,
            "/v1/inventory/adjustments",
            body: #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":9223372036854775807,"reason":"receipt"}"#,
            .unprocessableContent,
            "invalid_adjustment",
            fields: ["quantity"]
        ),
        .init(
            .hugeNumber,
            "unit price far beyond the limit",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-5", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":1,"unitPrice":9223372036854775807}]"#),
            .unprocessableContent,
            "invalid_order",
            fields: ["lines[0].unitPrice"]
        ),
        .init(
            .oversize,
            "order over 1 MiB",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-6", extra: #","customerPo":""# + String(repeating: "9", count: 1 << 20) + #"""#),
            .contentTooLarge,
            "body_too_large",
            fields: ["body"]
        ),
        .init(
            .oversize,
            "customer over 1 MiB",
            .put,
            "/v1/customers/CUST-001",
            body: customerJSON(name: String(repeating: "n", count: 1 << 20)),
            .contentTooLarge,
            "body_too_large",
            fields: ["body"]
        ),
        .init(
            .wrongContentType,
            "order as text/plain",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-7"),
            contentType: "text/plain",
            .unsupportedMediaType,
            "unsupported_media_type",
            fields: ["Content-Type"]
        ),
        .init(
            .wrongContentType,
            "product as XML",
            .put,
            "/v1/products/SKU-NEW",
            body: "<product/>",
            contentType: "application/xml",
            .unsupportedMediaType,
            "unsupported_media_type",
            fields: ["Content-Type"]
        ),
        .init(
            .wrongContentType,
            "adjustment without a content type",
            .post,
            "/v1/inventory/adjustments",
            body: adjustment,
            contentType: nil,
            .unsupportedMediaType,
            "unsupported_media_type",
            fields: ["Content-Type"]
        ),
        .init(
            .badUTF8,
            "order with an invalid UTF-8 byte",
            .post,
            "/v1/orders",
            bytes: Array(#"{"channel":"api","externalId":"PO-"#.utf8) + [0xFF, 0xFE]
                + Array(#"","customerId":"CUST-001","currency":"USD","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":1}]}"#.utf8),
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(
            .badUTF8,
            "customer name with a lone continuation byte",
            .put,
            "/v1/customers/CUST-NEW",
            bytes: Array(#"{"name":""#.utf8) + [0x80] + Array(#""}"#.utf8),
            .badRequest,
            "malformed_json",
            fields: []
        ),
        .init(
            .pathTraversal,
            "customer id ../../etc",
            .put,
            "/v1/customers/..%2F..%2Fetc",
            body: customerJSON(),
            .badRequest,
            "invalid_path",
            fields: ["id"]
        ),
        .init(.pathTraversal, "product sku ..", .put, "/v1/products/%2E%2E", body: product, .badRequest, "invalid_path", fields: ["sku"]),
        .init(
            .pathTraversal,
            "warehouse id with a backslash",
            .put,
            "/v1/warehouses/..%5Cwh",
            body: warehouse,
            .badRequest,
            "invalid_path",
            fields: ["id"]
        ),
        .init(
            .pathTraversal,
            "fulfilment report on ../orders",
            .post,
            "/v1/fulfillments/..%2Forders/events",
            body: #"{"type":"picked","lines":[{"lineNo":1,"quantity":1}]}"#,
            .badRequest,
            "invalid_path",
            fields: ["id"]
        ),
        .init(
            .headerInjection,
            "customer id with CRLF and a header",
            .put,
            "/v1/customers/CUST%0D%0ASet-Cookie:%20a=b",
            body: customerJSON(),
            .badRequest,
            "invalid_path",
            fields: ["id"]
        ),
        .init(
            .headerInjection,
            "externalId with CRLF",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: #"PO-1\r\nX-Injected: yes"#),
            .unprocessableContent,
            "invalid_order",
            fields: ["externalId"]
        ),
        .init(
            .headerInjection,
            "Idempotency-Key with a non-ASCII byte",
            .post,
            "/v1/inventory/adjustments",
            body: adjustment,
            headers: [.idempotencyKey: "cl\u{E9}-1"],
            .badRequest,
            "invalid_idempotency_key",
            fields: ["Idempotency-Key"]
        ),
        .init(
            .controlCharacters,
            "the issue's externalId",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: #"PO-\u202e\u0000x"#),
            .unprocessableContent,
            "invalid_order",
            fields: ["externalId"]
        ),
        .init(
            .controlCharacters,
            "sku with a NUL in an adjustment",
            .post,
            "/v1/inventory/adjustments",
            body: #"{"warehouseId":"WH-EAST","sku":"SKU-\u0000","quantity":5,"reason":"receipt"}"#,
            .unprocessableContent,
            "invalid_fields",
            fields: ["sku"]
        ),
        .init(
            .controlCharacters,
            "ship-to code with a bell",
            .put,
            "/v1/customers/CUST-NEW",
            body: customerJSON().replacingOccurrences(of: #""code":"ST-1""#, with: #""code":"ST\u0007""#),
            .unprocessableContent,
            "invalid_fields",
            fields: ["shipTo[0].code"]
        ),
        .init(
            .controlCharacters,
            "customer id in the body with a bidi isolate",
            .put,
            "/v1/customers/CUST-NEW",
            body: customerJSON(extra: #","id":"CUST\u2066NEW""#),
            .unprocessableContent,
            "invalid_fields",
            fields: ["id"]
        ),
        .init(
            .controlCharacters,
            "tracking number with an escape sequence",
            .post,
            "/v1/fulfillments/FO-1/events",
            body: #"{"type":"shipped","carrier":"UPS","packages":[{"trackingNumber":"1Z\u001b[31m","contents":[{"lineNo":1,"quantity":1}]}]}"#,
            .unprocessableContent,
            "invalid_fields",
            fields: ["packages[0].trackingNumber"]
        ),
        .init(
            .controlCharacters,
            "PO number too long for X12 BEG03",
            .post,
            "/v1/orders",
            body: orderJSON(externalID: "BI-8", extra: #","customerPo":"12345678901234567890123""#),
            .unprocessableContent,
            "invalid_order",
            fields: ["customerPo"]
        ),
    ]
}
