import GRDB

extension Database {
    /// The first column of the first row of `sql`, with values bound through interpolation.
    func one<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: SQL) throws -> T? {
        try SQLRequest<T>(literal: sql).fetchOne(self)
    }

    /// The first column of every row of `sql`.
    func all<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: SQL) throws -> [T] {
        try SQLRequest<T>(literal: sql).fetchAll(self)
    }

    /// The first row of `sql`.
    func row(_ sql: SQL) throws -> Row? {
        try SQLRequest<Row>(literal: sql).fetchOne(self)
    }

    /// Every row of `sql`.
    func rows(_ sql: SQL) throws -> [Row] {
        try SQLRequest<Row>(literal: sql).fetchAll(self)
    }
}
