import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A temporary SQLite database, removed when the test ends.
struct TestDatabase {
    let directory: URL
    let store: SQLiteStore

    init(logger: Logger = Logger(label: "test")) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logger)
    }

    var path: String { directory.appendingPathComponent("hub.sqlite").path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Seeds `catalog` straight into the store (one commit), with the writer running.
func seed(_ store: SQLiteStore, _ catalog: Catalog) async throws {
    var unit = UnitOfWork()
    unit.warehouses = catalog.warehouses
    unit.products = catalog.products
    unit.priceLists = [catalog.priceList]
    unit.taxRates = catalog.taxRates
    unit.customers = catalog.customers
    unit.safetyStock = catalog.stock.map { InventorySetting(warehouseID: $0.warehouseID, sku: $0.sku, safetyStock: $0.safetyStock) }
    unit.inventory = catalog.stock.filter { $0.onHand > 0 }.map {
        InventoryChange(warehouseID: $0.warehouseID, sku: $0.sku, onHandDelta: $0.onHand, reservedDelta: 0)
    }
    guard case .committed = try await store.commit(unit) else { throw TestFailure("seeding conflicted") }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against the hub (`app.test(.router)` by default, or `.live` for real HTTP over loopback; services
/// running) on a fresh seeded database.
/// - Parameters:
///   - catalog: master data to seed, or nil for an empty hub.
///   - body: gets the test client, the database and an admin key.
func withHub<T: Sendable>(
    catalog: Catalog? = Catalog(),
    configuration: Hub.Configuration = .quiet,
    testing: TestingSetup = .router,
    _ body: @Sendable (any TestClientProtocol, TestDatabase, String) async throws -> T
) async throws -> T {
    let database = try TestDatabase()
    defer { database.remove() }
    let key = try await database.store.withRunningWriter {
        if let catalog { try await seed(database.store, catalog) }
        return try await APIKeys.create(in: database.store, name: "test-admin", scopes: ["admin"]).1
    }
    let app = Hub.application(store: database.store, configuration: configuration, logger: Logger(label: "test"))
    return try await app.test(testing) { client in try await body(client, database, key) }
}

extension TestClientProtocol {
    /// Sends JSON `text` with a bearer key.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        key: String?,
        json text: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        if text != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: text.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a string.
    var text: String { String(buffer: body) }

    /// The body decoded as JSON.
    func json() throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) }

    /// The body decoded as `T` with the hub's conventions.
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONCoding.decoder().decode(type, from: Data(body.readableBytesView)) }
}

extension JSONValue {
    /// The number, if this is one.
    var intValue: Int? {
        if case .number(let value) = self { return Int(value) }
        return nil
    }
    /// The elements, if this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}

/// A valid order body for the default catalog.
func orderJSON(externalID: String, customer: String = "CUST-001", sku: String = "SKU-0010", quantity: Int = 2, extra: String = "") -> String {
    #"{"channel":"api","externalId":"\#(externalID)","customerId":"\#(customer)","currency":"USD","lines":[{"lineNo":1,"sku":"\#(sku)","quantity":\#(quantity)}]\#(extra)}"#
}

extension Hub.Configuration {
    /// The default configuration without the availability publisher, whose background commits would disturb
    /// tests that compare row counts and event sequences.
    static var quiet: Hub.Configuration {
        var configuration = Hub.Configuration()
        configuration.availability = nil
        configuration.ediOutbound = nil
        return configuration
    }
}
