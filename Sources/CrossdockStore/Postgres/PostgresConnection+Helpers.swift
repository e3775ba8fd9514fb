import Foundation
import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// The logger queries log to (postgres-nio logs at debug and below).
    static let queryLogger = Logger(label: "crossdock.store.postgres")

    /// Executes `query`, discarding any rows.
    func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: Self.queryLogger).collect()
    }

    /// Every row of `query`.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: Self.queryLogger).collect()
    }

    /// The first column of the first row of `query`, nil when there is no row (or the value is NULL).
    func one<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? where T._DecodableType == T {
        for row in try await rows(query) { return try row.decode(T?.self) }
        return nil
    }

    /// The first column of every row of `query`.
    func all<T: PostgresDecodable & Sendable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        var result: [T] = []
        for try await value in try await self.query(query, logger: Self.queryLogger).decode(T.self) { result.append(value) }
        return result
    }

    /// How many rows `query` returned (a guarded `UPDATE … RETURNING 1` says whether its guard held).
    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }
}

extension PostgresStore {
    /// Whether values like these can be in the database at all: PostgreSQL's text holds no NUL character and refuses
    /// a parameter with one (SQLSTATE 22021). A lookup by such a value finds nothing; intake then refuses the field
    /// by name, as on SQLite, instead of the read failing with a 500.
    static func canBeStored(_ values: String...) -> Bool {
        !values.contains { $0.utf8.contains(0) }
    }
}

extension PostgresRandomAccessRow {
    /// The column at `index` decoded as `T` (optional types read NULL as nil).
    func get<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
        try self[index].decode(T.self)
    }

    /// The column named `name` decoded as `T`.
    func get<T: PostgresDecodable>(_ name: String, _ type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }
}

extension PostgresRow {
    /// The row with its columns addressable by index and name.
    var columns: PostgresRandomAccessRow { makeRandomAccess() }
}

extension Data {
    /// The bytes as a buffer, for `bytea[]` binds.
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}
