import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// The storage backend a test runs on. The integration suites run on ``Backend/default``: SQLite, or PostgreSQL when
/// `CROSSDOCK_TEST_BACKEND=postgres` (CI runs them both ways); suites about PostgreSQL itself pick it explicitly.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The backend of this test run.
    static let `default`: Backend = ProcessInfo.processInfo.environment["CROSSDOCK_TEST_BACKEND"] == "postgres" ? .postgres : .sqlite

    /// The backends available here (PostgreSQL only when its server binaries are, or when CI requires it).
    static var available: [Backend] { PostgresTestCluster.enabled ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }
}

/// A temporary database, removed when the test ends: a SQLite file, or a new database in the tests' PostgreSQL cluster.
struct TestDatabase: Sendable {
    let backend: Backend
    let directory: URL
    let store: any Store
    /// `sqlite:PATH` or `postgres://…`: what `crossdock --db` takes.
    let url: String
    /// What the store encrypts stored secrets with.
    let secrets: SecretBox

    init(backend: Backend = .default, secrets: SecretBox = .plaintext, logger: Logger = Logger(label: "test")) async throws {
        self.backend = backend
        self.secrets = secrets
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            let path = directory.appendingPathComponent("hub.sqlite").path
            url = "sqlite:\(path)"
            store = try SQLiteStore(path: path, secrets: secrets, logger: logger)
        case .postgres:
            url = try await PostgresTestCluster.shared.createDatabase()
            store = try await PostgresStore.open(url: url, secrets: secrets, logger: logger)
        }
    }

    /// The SQLite file (SQLite tests only).
    var path: String { directory.appendingPathComponent("hub.sqlite").path }

    /// Opens another store on the same database (a second process's, or a second node's view), with this database's
    /// secret keys unless `secrets` names others.
    func reopen(secrets: SecretBox? = nil) async throws -> any Store {
        try await StoreFactory.open(try DatabaseURL(parsing: url), secrets: secrets ?? self.secrets, logger: Logger(label: "test"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
        if backend == .postgres {
            let url = self.url
            Task { await PostgresTestCluster.shared.dropDatabase(url) }
        }
    }
}

/// Seeds `catalog` straight into the store (one commit), with the writer running.
func seed(_ store: any Store, _ catalog: Catalog) async throws {
    var unit = UnitOfWork()
    unit.warehouses = catalog.warehouses
    unit.products = catalog.products
    unit.priceLists = [catalog.priceList] + catalog.otherPriceLists
    unit.taxRates = catalog.taxRates
    unit.legalEntities = catalog.legalEntities
    unit.customers = catalog.customers + catalog.otherCustomers
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
///   - secrets: what the store encrypts stored secrets with.
///   - body: gets the test client, the database and an admin key.
func withHub<T: Sendable>(
    catalog: Catalog? = Catalog(),
    configuration: Hub.Configuration = .quiet,
    testing: TestingSetup = .router,
    secrets: SecretBox = .plaintext,
    _ body: @Sendable (any TestClientProtocol, TestDatabase, String) async throws -> T
) async throws -> T {
    let database = try await TestDatabase(secrets: secrets)
    defer { database.remove() }
    let key = try await database.store.withRunning {
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
    /// tests that compare row counts and event sequences, and without the watchdogs and the alert job (tests run them on
    /// their own clock).
    static var quiet: Hub.Configuration {
        var configuration = Hub.Configuration()
        configuration.availability = nil
        configuration.watchdogs = nil
        configuration.alerts = nil
        configuration.ediOutbound = nil
        return configuration
    }
}

extension Catalog {
    /// The catalogue with `sku` stocked only as `onHand` says (warehouses it does not name hold none), and its safety
    /// stock set to `safetyStock` when given.
    func stocking(_ sku: String, _ onHand: [String: Int], safetyStock: Int? = nil) -> Catalog {
        var catalog = self
        catalog.stock = stock.map { balance in
            guard balance.sku == sku else { return balance }
            var copy = balance
            copy.onHand = onHand[balance.warehouseID] ?? 0
            if let safetyStock { copy.safetyStock = safetyStock }
            return copy
        }
        return catalog
    }
}
