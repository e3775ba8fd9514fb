import PostgresNIO

extension PostgresStore {
    /// The feed's fence: the position below which every event of this database that will ever be visible already is.
    ///
    /// It is the oldest transaction id still in progress *in this database* (or the next id to be assigned, when
    /// none is), shifted into position space (`txid << 20`). Transaction ids are cluster-wide, but a writer in another
    /// database of the same cluster can never append to this one's log, so it must not hold this feed back (a
    /// snapshot's own `xmin` counts every database). The ids come from `pg_stat_activity.backend_xid`, which shows
    /// 32 bits; they are widened against the snapshot's 64-bit `xmax` (every running id is below it).
    ///
    /// This must run as its own statement, before the statement that reads events: a transaction that ended after
    /// `pg_stat_activity` was read has committed before the next statement's snapshot is taken, so the read sees it,
    /// whereas the same statement's snapshot could already have been taken without it. (Under the store's READ
    /// COMMITTED, each statement of a transaction takes a new snapshot.) The caller's own transaction is not counted:
    /// it reads, it does not append.
    ///
    /// With `catchUp`, it first waits (at most 2 s) until every transaction of this database that had an id when it
    /// was asked has ended, so that a client whose `201` came back before it reads the feed sees that command's
    /// events. Without writers in flight this costs one round trip and no wait.
    static func fence(_ connection: PostgresConnection, catchUp: Bool) async throws -> Int64 {
        var (horizon, oldest) = try await inProgress(connection)
        if catchUp, oldest < horizon {
            let deadline = ContinuousClock.now + .seconds(2)
            while oldest < horizon, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
                oldest = try await inProgress(connection).oldest
            }
        }
        return oldest << 20
    }

    /// The next transaction id (`xmax` of a fresh snapshot) and the oldest id still running in this database (the
    /// next id when none is).
    private static func inProgress(_ connection: PostgresConnection) async throws -> (horizon: Int64, oldest: Int64) {
        let query: PostgresQuery = """
            SELECT x.horizon, LEAST(x.horizon, COALESCE(min(
                ((x.horizon >> 32) << 32) + a.backend_xid::text::bigint
                - CASE WHEN a.backend_xid::text::bigint >= (x.horizon & 4294967295) THEN 4294967296 ELSE 0 END
            ), x.horizon))
            FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS horizon) AS x
            LEFT JOIN pg_stat_activity AS a
                ON a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
            GROUP BY x.horizon
            """
        guard let row = try await connection.rows(query).first else { throw StoreError(code: .corrupt, message: "the feed fence read no row") }
        let (horizon, oldest) = try row.decode((Int64, Int64).self)
        return (horizon, oldest)
    }
}
