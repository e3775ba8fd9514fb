import GRDB

extension Database {
    /// Executes one statement, reusing its prepared form across calls.
    func run(_ sql: SQL) throws {
        try cachedStatement(literal: sql).execute()
    }

    /// Executes one statement with positional `?` arguments, reusing its prepared form. For the hot write path,
    /// where building an interpolated literal costs more than the statement.
    func exec(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first column of the first row of `sql` with positional arguments, reusing the prepared statement.
    func one<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, sql: String, _ arguments: StatementArguments) throws -> T? {
        try T.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every row of `sql` with positional arguments, reusing the prepared statement.
    func rows(sql: String, _ arguments: StatementArguments) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    /// The first column of the first row of `sql`, with values bound through interpolation.
    func one<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: SQL) throws -> T? {
        try SQLRequest<T>(literal: sql, cached: true).fetchOne(self)
    }

    /// The first column of every row of `sql`.
    func all<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: SQL) throws -> [T] {
        try SQLRequest<T>(literal: sql, cached: true).fetchAll(self)
    }

    /// The first row of `sql`.
    func row(_ sql: SQL) throws -> Row? {
        try SQLRequest<Row>(literal: sql, cached: true).fetchOne(self)
    }

    /// Every row of `sql`.
    func rows(_ sql: SQL) throws -> [Row] {
        try SQLRequest<Row>(literal: sql, cached: true).fetchAll(self)
    }
}
