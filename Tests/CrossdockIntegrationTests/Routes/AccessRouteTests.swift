import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import HTTPTypes
import HummingbirdTesting
import Testing

/// One `/v1` route and the scope it needs.
struct V1Route: Sendable, CustomTestStringConvertible {
    var method: HTTPRequest.Method
    var path: String
    var scope: Scope
    var body: String?

    var testDescription: String { "\(method.rawValue) \(path)" }

    static let all: [V1Route] = [
        .init(method: .put, path: "/v1/customers/CUST-001", scope: .masterWrite, body: customerJSON()),
        .init(method: .get, path: "/v1/customers/CUST-001", scope: .masterRead),
        .init(method: .get, path: "/v1/customers/CUST-001/standing", scope: .ordersRead),
        .init(method: .put, path: "/v1/products/SKU-0001", scope: .masterWrite, body: #"{"description":"x"}"#),
        .init(method: .get, path: "/v1/products/SKU-0001", scope: .masterRead),
        .init(method: .put, path: "/v1/warehouses/WH-EAST", scope: .masterWrite, body: #"{"name":"x","region":"US-NY","priority":1}"#),
        .init(method: .get, path: "/v1/warehouses", scope: .masterRead),
        .init(method: .put, path: "/v1/price-lists/PL-STD", scope: .masterWrite, body: #"{"currency":"USD","entries":[]}"#),
        .init(method: .put, path: "/v1/tax-rates/US-NY", scope: .masterWrite, body: #"{"ratePpm":1}"#),
        .init(
            method: .post,
            path: "/v1/inventory/adjustments",
            scope: .inventoryWrite,
            body: #"{"warehouseId":"WH-EAST","sku":"SKU-0001","quantity":1,"reason":"receipt"}"#
        ),
        .init(method: .get, path: "/v1/inventory/availability?sku=SKU-0001", scope: .ordersRead),
        .init(method: .post, path: "/v1/orders", scope: .ordersWrite, body: orderJSON(externalID: "ACCESS-1")),
        .init(method: .get, path: "/v1/orders", scope: .ordersRead),
        .init(method: .get, path: "/v1/orders/unknown", scope: .ordersRead),
        .init(method: .get, path: "/v1/orders/unknown/shipments", scope: .ordersRead),
        .init(method: .get, path: "/v1/orders/unknown/fulfillments", scope: .ordersRead),
        .init(method: .get, path: "/v1/fulfillments/unknown", scope: .ordersRead),
        .init(
            method: .post,
            path: "/v1/fulfillments/unknown/events",
            scope: .fulfillmentWrite,
            body: #"{"type":"picked","lines":[{"lineNo":1,"quantity":1}]}"#
        ),
        .init(method: .get, path: "/v1/shipments/unknown", scope: .ordersRead),
        .init(method: .get, path: "/v1/events", scope: .eventsRead),
        .init(method: .post, path: "/v1/subscriptions", scope: .subscriptionsWrite, body: #"{"url":"http://127.0.0.1:9/hook","eventTypes":["*"]}"#),
        .init(method: .get, path: "/v1/subscriptions", scope: .subscriptionsWrite),
        .init(method: .get, path: "/v1/subscriptions/unknown", scope: .subscriptionsWrite),
        .init(method: .delete, path: "/v1/subscriptions/unknown", scope: .subscriptionsWrite),
        .init(method: .get, path: "/v1/deliveries", scope: .eventsRead),
        .init(method: .get, path: "/v1/deliveries/1", scope: .eventsRead),
        .init(method: .post, path: "/v1/deliveries/1/replay", scope: .subscriptionsWrite),
        .init(method: .post, path: "/v1/deliveries/replay", scope: .subscriptionsWrite, body: #"{"confirm":true}"#),
        .init(method: .post, path: "/v1/subscriptions/unknown/replay", scope: .subscriptionsWrite, body: #"{"fromSequence":0,"confirm":true}"#),
        .init(method: .post, path: "/v1/orders/unknown/replay", scope: .subscriptionsWrite, body: #"{"confirm":true}"#),
    ]
}

@Suite struct AccessRouteTests {
    @Test(arguments: V1Route.all)
    func answers401WithoutAKeyAndWithAWrongKey(route: V1Route) async throws {
        try await withHub(catalog: nil) { client, database, _ in
            let before = try await database.store.rowCounts()
            let missing = try await client.send(route.method, route.path, key: nil, json: route.body)
            try expectProblem(missing, .unauthorized, code: "unauthenticated")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")

            let wrong = try await client.send(route.method, route.path, key: "cdk_not-a-real-key", json: route.body)
            try expectProblem(wrong, .unauthorized, code: "unauthenticated")
            #expect(wrong.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            var basic: HTTPFields = [:]
            basic[.authorization] = "Basic dXNlcjpwYXNz"
            let notBearer = try await client.send(route.method, route.path, key: nil, json: route.body, headers: basic)
            try expectProblem(notBearer, .unauthorized, code: "unauthenticated")

            var empty: HTTPFields = [:]
            empty[.authorization] = "Bearer "
            try expectProblem(
                try await client.send(route.method, route.path, key: nil, json: route.body, headers: empty),
                .unauthorized,
                code: "unauthenticated"
            )
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test(arguments: V1Route.all.filter { $0.scope != .ordersRead })
    func answers403WhenTheKeyLacksTheScope(route: V1Route) async throws {
        try await withHub(catalog: nil) { client, database, _ in
            let (_, limited) = try await APIKeys.create(in: database.store, name: "reader", scopes: ["orders:read"])
            let before = try await database.store.rowCounts()
            let response = try await client.send(route.method, route.path, key: limited, json: route.body)
            let problem = try expectProblem(response, .forbidden, code: "insufficient_scope")
            #expect(problem["requiredScope"]?.stringValue == route.scope.rawValue)
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func aKeyWithTheScopeIsLetThrough() async throws {
        try await withHub { client, database, _ in
            let (_, reader) = try await APIKeys.create(in: database.store, name: "reader", scopes: ["orders:read"])
            for route in V1Route.all where route.scope == .ordersRead {
                let response = try await client.send(route.method, route.path, key: reader, json: route.body)
                #expect(response.status == .ok || response.status == .notFound, "\(route.testDescription): \(response.status)")
                #expect(response.status != .forbidden && response.status != .unauthorized)
            }
            let (_, writer) = try await APIKeys.create(in: database.store, name: "writer", scopes: ["orders:write"])
            #expect(try await client.postOrder(orderJSON(externalID: "SCOPED-1"), key: writer).status == .created)
            // orders:write does not imply orders:read.
            try expectProblem(try await client.send(.get, "/v1/orders", key: writer), .forbidden, code: "insufficient_scope")
        }
    }

    @Test func healthRoutesAreOpen() async throws {
        try await withHub { client, _, _ in
            for path in ["/health/live", "/health/ready", "/metrics"] {
                let response = try await client.send(.get, path, key: nil)
                #expect(response.status == .ok, "\(path)")
                // A wrong key does not matter outside /v1.
                #expect(try await client.send(.get, path, key: "cdk_wrong").status == .ok, "\(path)")
            }
            #expect(try await client.send(.get, "/health/live", key: nil).json()["status"]?.stringValue == "live")
        }
    }

    @Test func unknownRoutesOutsideV1AreProblemNotFound() async throws {
        try await withHub(catalog: nil) { client, _, _ in
            let response = try await client.send(.get, "/nope", key: nil)
            try expectProblem(response, .notFound, code: "not_found")
        }
    }
}
