import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema, as append-only migrations, applied under an advisory lock so that nodes starting together
/// migrate once. The tables mirror SQLite's; the differences are PostgreSQL's types and these:
/// - `events.seq` is not a counter but `txid << 20 | n`: the writing transaction's id, then the event's place in it
///   (see ``PostgresStore`` and docs/events.md: the feed is read up to the oldest transaction still in progress);
/// - deliveries carry their lease (`lease_owner`, `lease_until`, `lease_token`);
/// - `hub_state` holds the master-data version that other nodes' caches follow.
enum PostgresSchema {
    /// A migration: a name and its statements (the extended protocol takes one statement per query).
    struct Migration {
        var name: String
        var statements: [String]
    }

    /// The advisory lock id migrations run under.
    static let lockID: Int64 = 0x4352_4F53_5344_4F43  // "CROSSDOC"

    static let migrations: [Migration] = [
        Migration(name: "v1-schema", statements: foundation + orchestration + delivery + connectors + coordination),
        Migration(
            name: "v2-key-lifecycle",
            statements: [
                """
                ALTER TABLE api_keys ADD COLUMN expires_at DOUBLE PRECISION, ADD COLUMN revoked_at DOUBLE PRECISION,
                ADD COLUMN last_used_at DOUBLE PRECISION
                """
            ]
        ),
        Migration(
            name: "v6-partner-isolation",
            statements: [
                "ALTER TABLE orders ADD COLUMN partner TEXT",
                "UPDATE orders SET partner = convert_from(doc, 'UTF8')::jsonb #>> '{channelRef,partner}'",
                "CREATE INDEX orders_partner ON orders(partner, pos) WHERE partner IS NOT NULL",
                "ALTER TABLE subscriptions ADD COLUMN partner TEXT",
            ]
        ),
        Migration(name: "v3-audit", statements: audit),
        Migration(
            name: "v7-rate-limits",
            statements: [
                """
                CREATE TABLE rate_limits (
                    subject TEXT PRIMARY KEY, requests INTEGER NOT NULL CHECK (requests > 0),
                    window_seconds INTEGER NOT NULL CHECK (window_seconds > 0), updated_at DOUBLE PRECISION NOT NULL)
                """,
                // One row per subject and window; a grant increments it under its row lock, never past the limit.
                """
                CREATE TABLE rate_counters (
                    subject TEXT NOT NULL, window_start BIGINT NOT NULL, used INTEGER NOT NULL, last_grant INTEGER NOT NULL,
                    PRIMARY KEY (subject, window_start))
                """,
            ]
        ),
        Migration(
            name: "v8-watchdogs",
            statements: [
                "ALTER TABLE operations_exceptions ADD COLUMN watchdog_key TEXT",
                "CREATE UNIQUE INDEX operations_exceptions_watchdog_key ON operations_exceptions(watchdog_key) WHERE watchdog_key IS NOT NULL",
                "CREATE INDEX fulfillment_orders_status ON fulfillment_orders(status, pos)",
                "CREATE INDEX edi_documents_status ON edi_documents(direction, status, created_at)",
                "CREATE INDEX orders_channel ON orders(channel, pos)",
                "CREATE TABLE watchdog_deadlines (id INTEGER PRIMARY KEY CHECK (id = 1), doc BYTEA NOT NULL, updated_at DOUBLE PRECISION NOT NULL)",
            ]
        ),
        Migration(name: "v9-console", statements: console),
        Migration(
            name: "v10-console-sessions",
            statements: [
                """
                CREATE TABLE console_sessions (
                    token_hash TEXT PRIMARY KEY, key_hash TEXT NOT NULL, csrf_token TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)
                """,
                "CREATE INDEX console_sessions_expiry ON console_sessions(expires_at)",
            ]
        ),
        Migration(
            name: "v11-alert-routes",
            statements: [
                // Resolved exceptions an alert route still has to be told about (see AlertPlan).
                "ALTER TABLE operations_exceptions ADD COLUMN alert_pending BOOLEAN NOT NULL DEFAULT false",
                "CREATE INDEX operations_exceptions_alert_pending ON operations_exceptions(pos) WHERE alert_pending",
            ]
        ),
        // The W3C traceparent of the request that appended each event (the CloudEvents distributed tracing extension).
        Migration(name: "v12-event-trace-context", statements: ["ALTER TABLE events ADD COLUMN traceparent TEXT"]),
        // The channel message that created each order (InboundMessage), for its trace.
        Migration(
            name: "v13-inbound-messages",
            statements: ["CREATE TABLE inbound_messages (order_id TEXT PRIMARY KEY, received_at DOUBLE PRECISION NOT NULL, doc BYTEA NOT NULL)"]
        ),
        // Master-data feed batches (their summaries) and the records they quarantined (docs/master-data.md).
        Migration(
            name: "v14-master-data-feeds",
            statements: [
                "CREATE TABLE master_data_batches (id TEXT PRIMARY KEY, received_at DOUBLE PRECISION NOT NULL, doc BYTEA NOT NULL)",
                "CREATE INDEX master_data_batches_received ON master_data_batches(received_at)",
                """
                CREATE TABLE master_data_quarantine (
                    pos BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, batch_id TEXT NOT NULL, kind TEXT NOT NULL,
                    status TEXT NOT NULL, doc BYTEA NOT NULL
                )
                """,
                "CREATE INDEX master_data_quarantine_status ON master_data_quarantine(status, pos)",
                "CREATE INDEX master_data_quarantine_batch ON master_data_quarantine(batch_id, pos)",
            ]
        ),
        // Legal entities: each names its currency, ERP instance and tax rules (docs/master-data.md#legal-entities).
        Migration(name: "v15-legal-entities", statements: ["CREATE TABLE legal_entities (id TEXT PRIMARY KEY, doc BYTEA NOT NULL)"]),
        // The KPI rollup (``KPIRollup``): cells per minute and hour, and what the fold remembers per order and per
        // fulfilment order. Filled from the start of the log by its follower.
        Migration(
            name: "v16-kpi-rollup",
            statements: [
                """
                CREATE TABLE kpi_rollup (grain BIGINT NOT NULL, metric TEXT NOT NULL, start BIGINT NOT NULL, bucket INTEGER NOT NULL,
                    n BIGINT NOT NULL, PRIMARY KEY (grain, metric, start, bucket))
                """,
                "CREATE TABLE kpi_orders (order_id TEXT PRIMARY KEY, received_at DOUBLE PRECISION, mask INTEGER NOT NULL, invoiced_at DOUBLE PRECISION)",
                "CREATE TABLE kpi_fulfillments (fulfillment_order_id TEXT PRIMARY KEY, released_at DOUBLE PRECISION, first_shipped_at DOUBLE PRECISION)",
            ]
        ),
        // Delivery attempts counted per minute in the transaction that records them (``AttemptCounts``), so that the
        // KPIs' delivery success rate reads a few rows; concurrent writers spread over 16 shards per minute.
        Migration(
            name: "v17-attempt-minutes",
            statements: [
                """
                CREATE TABLE delivery_attempt_minutes (minute BIGINT NOT NULL, shard INTEGER NOT NULL, attempts BIGINT NOT NULL,
                    succeeded BIGINT NOT NULL, PRIMARY KEY (minute, shard))
                """,
                """
                INSERT INTO delivery_attempt_minutes(minute, shard, attempts, succeeded)
                SELECT floor(at / 60)::bigint, 0, count(*), count(*) FILTER (WHERE status_code BETWEEN 200 AND 299)
                FROM delivery_attempts GROUP BY 1
                """,
            ]
        ),
        // The delivery worker's claim in one round trip (``PostgresStore/claimDueDeliveries``): a function, so that
        // its walk is planned without a sort (its own `SET`), as the read it replaces was in a transaction of its own.
        Migration(name: "v18-delivery-claims", statements: [deliveryClaim]),
    ]

    /// Finds up to `p_limit` due heads off the pending index in sequence order, locks them (skipping rows another node
    /// is claiming), checks each again under its lock (still pending, unleased, still the head of its key), leases them
    /// to `p_owner` for `p_seconds`, and returns them as they now are. PL/pgSQL keeps the statement's plan for the
    /// session (an SQL function would plan it at every call, half of its cost). Its commit does not wait for the log's flush
    /// (`synchronous_commit` off for the calling transaction): a lease lost with the database's last moments ends like an
    /// expired one, and this node's attempt is then refused when recorded, since its token is no longer the delivery's.
    static let deliveryClaim = """
        CREATE FUNCTION crossdock_claim_due(
            p_now DOUBLE PRECISION, p_limit BIGINT, p_skipped TEXT[], p_owner TEXT, p_seconds DOUBLE PRECISION)
        RETURNS TABLE (o_id BIGINT, o_subscription_id TEXT, o_event_seq BIGINT, o_attempts INTEGER,
            o_next_attempt_at DOUBLE PRECISION, o_last_status INTEGER, o_last_error TEXT, o_ordering_key TEXT, o_lease_token BIGINT)
        LANGUAGE plpgsql VOLATILE SET enable_sort = off AS $$
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN QUERY
            WITH due AS MATERIALIZED (
                SELECT d.id FROM deliveries d
                WHERE d.status = 'pending' AND d.next_attempt_at <= p_now
                AND (d.lease_until IS NULL OR d.lease_until < extract(epoch FROM clock_timestamp()))
                AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = d.subscription_id AND s.status = 'active')
                AND d.subscription_id <> ALL(p_skipped)
                AND NOT EXISTS (
                    SELECT 1 FROM deliveries p
                    WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                    AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                )
                ORDER BY d.event_seq, d.id LIMIT p_limit
            ),
            locked AS (
                SELECT d.id FROM due JOIN deliveries d ON d.id = due.id
                WHERE d.status = 'pending'
                AND (d.lease_until IS NULL OR d.lease_until < extract(epoch FROM clock_timestamp()))
                AND NOT EXISTS (
                    SELECT 1 FROM deliveries p
                    WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                    AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                )
                FOR UPDATE OF d SKIP LOCKED
            ),
            claimed AS (
                UPDATE deliveries SET lease_owner = p_owner, lease_until = extract(epoch FROM clock_timestamp()) + p_seconds,
                    lease_token = nextval('delivery_lease_tokens')
                FROM locked WHERE deliveries.id = locked.id
                RETURNING deliveries.id, deliveries.subscription_id, deliveries.event_seq, deliveries.attempts,
                    deliveries.next_attempt_at, deliveries.last_status, deliveries.last_error, deliveries.ordering_key,
                    deliveries.lease_token
            )
            SELECT * FROM claimed;
        END
        $$
        """

    /// The console's reads: search by business key, an order's deliveries, KPIs over a time window.
    static let console = [
        "ALTER TABLE orders ADD COLUMN customer_po TEXT",
        "UPDATE orders SET customer_po = convert_from(doc, 'UTF8')::jsonb ->> 'customerPo'",
        "CREATE INDEX orders_customer_po ON orders(customer_po) WHERE customer_po IS NOT NULL",
        "CREATE INDEX orders_external_id ON orders(external_id)",
        "CREATE INDEX events_type_time ON events(type, time)",
        "CREATE INDEX deliveries_event ON deliveries(event_seq)",
        "CREATE INDEX delivery_attempts_at ON delivery_attempts(at)",
        "CREATE INDEX external_references_number ON external_references(number)",
        "CREATE INDEX edi_interchanges_control ON edi_interchanges(control_number)",
        "CREATE INDEX edi_documents_reference ON edi_documents(reference)",
        "CREATE INDEX edi_documents_group_control ON edi_documents(group_control)",
    ]

    /// The audit log: append-only, which triggers enforce against every statement but `DROP`.
    static let audit = [
        """
        CREATE TABLE audit_log (
            seq BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION NOT NULL, key_id TEXT NOT NULL, key_name TEXT NOT NULL, partner TEXT,
            method TEXT NOT NULL, route TEXT NOT NULL, path TEXT NOT NULL, resource TEXT NOT NULL, status INTEGER,
            request_id TEXT NOT NULL, source TEXT, changes TEXT)
        """,
        "CREATE INDEX audit_log_key ON audit_log(key_id, seq)",
        "CREATE INDEX audit_log_resource ON audit_log(resource, seq)",
        "CREATE INDEX audit_log_at ON audit_log(at)",
        """
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
        """,
        """
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
        """,
        """
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
        """,
    ]

    static let foundation = [
        """
        CREATE TABLE customers (
            id TEXT PRIMARY KEY, doc BYTEA NOT NULL, currency TEXT NOT NULL, credit_limit BIGINT NOT NULL,
            open_balance BIGINT NOT NULL, open_orders BIGINT NOT NULL DEFAULT 0 CHECK (open_orders >= 0))
        """,
        "CREATE TABLE products (sku TEXT PRIMARY KEY, doc BYTEA NOT NULL)",
        "CREATE TABLE warehouses (id TEXT PRIMARY KEY, priority INTEGER NOT NULL, doc BYTEA NOT NULL)",
        "CREATE TABLE price_lists (id TEXT PRIMARY KEY, doc BYTEA NOT NULL)",
        "CREATE TABLE tax_rates (region TEXT PRIMARY KEY, rate_ppm BIGINT NOT NULL CHECK (rate_ppm >= 0))",
        """
        CREATE TABLE balances (
            warehouse_id TEXT NOT NULL, sku TEXT NOT NULL,
            on_hand BIGINT NOT NULL CHECK (on_hand >= 0), reserved BIGINT NOT NULL CHECK (reserved >= 0),
            safety_stock BIGINT NOT NULL CHECK (safety_stock >= 0), CHECK (reserved <= on_hand),
            PRIMARY KEY (sku, warehouse_id))
        """,
        """
        CREATE TABLE orders (
            pos BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, external_id TEXT NOT NULL,
            customer_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, doc BYTEA NOT NULL,
            UNIQUE (channel, external_id))
        """,
        "CREATE INDEX orders_status ON orders(status, pos)",
        "CREATE INDEX orders_customer ON orders(customer_id, pos)",
        """
        CREATE TABLE fulfillment_orders (
            pos BIGSERIAL, id TEXT PRIMARY KEY, order_id TEXT NOT NULL, warehouse_id TEXT NOT NULL, status TEXT NOT NULL,
            version INTEGER NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX fulfillment_orders_order ON fulfillment_orders(order_id, pos)",
        """
        CREATE TABLE shipments (
            pos BIGSERIAL, id TEXT PRIMARY KEY, order_id TEXT NOT NULL, fulfillment_order_id TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX shipments_order ON shipments(order_id, pos)",
        """
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subject TEXT NOT NULL, time TEXT NOT NULL,
            correlation_id TEXT NOT NULL, causation_id TEXT, data BYTEA NOT NULL)
        """,
        "CREATE INDEX events_correlation ON events(correlation_id, seq)",
        """
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL, body BYTEA NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (scope, key))
        """,
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, partner TEXT,
            created_at DOUBLE PRECISION NOT NULL)
        """,
        "CREATE TABLE hub_state (id INTEGER PRIMARY KEY CHECK (id = 1), master_version BIGINT NOT NULL, keys_version BIGINT NOT NULL)",
        "INSERT INTO hub_state(id, master_version, keys_version) VALUES (1, 1, 1)",
    ]

    static let orchestration = [
        "CREATE TABLE shipment_tracking_numbers (tracking_number TEXT NOT NULL, shipment_id TEXT NOT NULL, PRIMARY KEY (tracking_number, shipment_id))",
        "CREATE TABLE region_preferences (region TEXT PRIMARY KEY, warehouse_ids TEXT NOT NULL)",
        """
        CREATE TABLE scheduled_receipts (
            id TEXT PRIMARY KEY, warehouse_id TEXT NOT NULL, sku TEXT NOT NULL, status TEXT NOT NULL, expected_date TEXT NOT NULL,
            version INTEGER NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX scheduled_receipts_sku ON scheduled_receipts(sku, status)",
        """
        CREATE TABLE backorders (
            order_id TEXT NOT NULL, line_no INTEGER NOT NULL, sku TEXT NOT NULL, quantity BIGINT NOT NULL CHECK (quantity > 0),
            promised_date TEXT, PRIMARY KEY (order_id, line_no))
        """,
        "CREATE INDEX backorders_sku ON backorders(sku)",
        """
        CREATE TABLE invoices (
            pos BIGSERIAL, id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL, shipment_id TEXT NOT NULL UNIQUE,
            customer_id TEXT NOT NULL, total BIGINT NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX invoices_order ON invoices(order_id, pos)",
        """
        CREATE TABLE credit_memos (
            pos BIGSERIAL, id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL, return_id TEXT,
            customer_id TEXT NOT NULL, total BIGINT NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX credit_memos_order ON credit_memos(order_id, pos)",
        """
        CREATE TABLE returns (
            pos BIGSERIAL, id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL, status TEXT NOT NULL,
            version INTEGER NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX returns_order ON returns(order_id, pos)",
        """
        CREATE TABLE operations_exceptions (
            pos BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, order_id TEXT NOT NULL, status TEXT NOT NULL,
            version INTEGER NOT NULL, doc BYTEA NOT NULL)
        """,
        "CREATE INDEX operations_exceptions_status ON operations_exceptions(status, pos)",
        "CREATE INDEX operations_exceptions_order ON operations_exceptions(order_id, pos)",
        "CREATE TABLE availability_dirty (sku TEXT PRIMARY KEY, first_changed_at DOUBLE PRECISION NOT NULL)",
        """
        CREATE TABLE availability_published (
            sku TEXT NOT NULL, warehouse_id TEXT NOT NULL, available BIGINT NOT NULL, published_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (sku, warehouse_id))
        """,
    ]

    static let delivery = [
        """
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY, url TEXT NOT NULL, event_types BYTEA NOT NULL, secret TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, cursor BIGINT NOT NULL, settings BYTEA, status TEXT NOT NULL DEFAULT 'active',
            status_reason TEXT, previous_secret TEXT, previous_secret_expires_at DOUBLE PRECISION)
        """,
        """
        CREATE TABLE deliveries (
            id BIGSERIAL PRIMARY KEY,
            subscription_id TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
            event_seq BIGINT NOT NULL REFERENCES events(seq),
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at DOUBLE PRECISION NOT NULL, last_status INTEGER, last_error TEXT,
            delivered_at DOUBLE PRECISION, ordering_key TEXT NOT NULL DEFAULT '',
            lease_owner TEXT, lease_until DOUBLE PRECISION, lease_token BIGINT,
            UNIQUE (subscription_id, event_seq))
        """,
        "CREATE INDEX deliveries_pending_seq ON deliveries(event_seq, id) WHERE status = 'pending'",
        "CREATE INDEX deliveries_key ON deliveries(subscription_id, ordering_key, event_seq)",
        "CREATE INDEX deliveries_status ON deliveries(status, id)",
        "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending'",
        "CREATE SEQUENCE delivery_lease_tokens",
        """
        CREATE TABLE delivery_attempts (
            delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE, attempt INTEGER NOT NULL,
            at DOUBLE PRECISION NOT NULL, status_code INTEGER, latency_ms DOUBLE PRECISION NOT NULL, error TEXT,
            PRIMARY KEY (delivery_id, attempt))
        """,
    ]

    static let connectors = [
        "CREATE TABLE partners (id TEXT PRIMARY KEY, kind TEXT NOT NULL, doc BYTEA NOT NULL, updated_at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX partners_kind ON partners(kind)",
        "CREATE TABLE control_numbers (partner TEXT NOT NULL, kind TEXT NOT NULL, last BIGINT NOT NULL, PRIMARY KEY (partner, kind))",
        """
        CREATE TABLE edi_interchanges (
            id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            control_number BIGINT NOT NULL, created_at DOUBLE PRECISION NOT NULL, text TEXT NOT NULL, reply TEXT,
            UNIQUE (partner_id, direction, control_number))
        """,
        """
        CREATE TABLE edi_documents (
            pos BIGSERIAL, id TEXT PRIMARY KEY, interchange_id TEXT NOT NULL REFERENCES edi_interchanges(id),
            partner_id TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('in', 'out')), set_id TEXT NOT NULL,
            group_control BIGINT NOT NULL, set_control TEXT NOT NULL, order_id TEXT, reference TEXT NOT NULL, status TEXT NOT NULL,
            detail TEXT, created_at DOUBLE PRECISION NOT NULL, acknowledged_at DOUBLE PRECISION)
        """,
        "CREATE UNIQUE INDEX edi_documents_outbound ON edi_documents(partner_id, set_id, reference) WHERE direction = 'out'",
        "CREATE INDEX edi_documents_order ON edi_documents(order_id, pos)",
        "CREATE INDEX edi_documents_group ON edi_documents(partner_id, direction, group_control)",
        "CREATE TABLE connector_cursors (name TEXT PRIMARY KEY, seq BIGINT NOT NULL)",
        "CREATE TABLE product_gtins (gtin TEXT PRIMARY KEY, sku TEXT NOT NULL)",
        """
        CREATE TABLE external_references (
            order_id TEXT NOT NULL, partner TEXT NOT NULL, document_type TEXT NOT NULL, number TEXT NOT NULL, event_id TEXT NOT NULL,
            recorded_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (order_id, partner, document_type, number))
        """,
    ]

    static let coordination = [
        "CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
    ]

    /// Applies every pending migration, each in its own transaction, holding the advisory lock so that concurrent
    /// nodes wait for the first one instead of migrating twice.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("SELECT pg_advisory_lock(\(lockID))", logger: logger).collect()
        do {
            _ = try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            ).collect()
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                _ = try await connection.query("BEGIN", logger: logger).collect()
                do {
                    for statement in migration.statements {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
                    }
                    _ = try await connection.query("INSERT INTO schema_migrations(name) VALUES (\(migration.name))", logger: logger).collect()
                    _ = try await connection.query("COMMIT", logger: logger).collect()
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                    throw error
                }
                logger.info("migration applied", metadata: ["crossdock.migration": "\(migration.name)"])
            }
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockID))", logger: logger).collect()
            throw error
        }
        _ = try await connection.query("SELECT pg_advisory_unlock(\(lockID))", logger: logger).collect()
    }

    /// Whether every migration is applied.
    static func isCurrent(_ connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var applied = Set<String>()
        for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
            applied.insert(name)
        }
        return migrations.allSatisfy { applied.contains($0.name) }
    }
}
