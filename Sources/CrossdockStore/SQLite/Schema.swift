import Foundation
import GRDB

/// The SQLite schema, as append-only migrations.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE customers (
                        id TEXT PRIMARY KEY,
                        doc BLOB NOT NULL,
                        currency TEXT NOT NULL,
                        credit_limit INTEGER NOT NULL,
                        open_balance INTEGER NOT NULL,
                        open_orders INTEGER NOT NULL DEFAULT 0 CHECK (open_orders >= 0)
                    );
                    CREATE TABLE products (sku TEXT PRIMARY KEY, doc BLOB NOT NULL);
                    CREATE TABLE warehouses (id TEXT PRIMARY KEY, priority INTEGER NOT NULL, doc BLOB NOT NULL);
                    CREATE TABLE price_lists (id TEXT PRIMARY KEY, doc BLOB NOT NULL);
                    CREATE TABLE tax_rates (region TEXT PRIMARY KEY, rate_ppm INTEGER NOT NULL CHECK (rate_ppm >= 0));
                    CREATE TABLE balances (
                        warehouse_id TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
                        reserved INTEGER NOT NULL CHECK (reserved >= 0),
                        safety_stock INTEGER NOT NULL CHECK (safety_stock >= 0),
                        CHECK (reserved <= on_hand),
                        PRIMARY KEY (sku, warehouse_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE orders (
                        pos INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        channel TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        doc BLOB NOT NULL,
                        UNIQUE (channel, external_id)
                    );
                    CREATE INDEX orders_status ON orders(status, pos);
                    CREATE INDEX orders_customer ON orders(customer_id, pos);
                    CREATE TABLE fulfillment_orders (
                        id TEXT PRIMARY KEY,
                        order_id TEXT NOT NULL,
                        warehouse_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX fulfillment_orders_order ON fulfillment_orders(order_id);
                    CREATE TABLE shipments (
                        id TEXT PRIMARY KEY,
                        order_id TEXT NOT NULL,
                        fulfillment_order_id TEXT NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX shipments_order ON shipments(order_id);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        type TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        time TEXT NOT NULL,
                        correlation_id TEXT NOT NULL,
                        causation_id TEXT,
                        data BLOB NOT NULL
                    );
                    CREATE TABLE idempotency_keys (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        request_hash TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        scopes TEXT NOT NULL,
                        partner TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE subscriptions (
                        id TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        event_types TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        cursor INTEGER NOT NULL
                    );
                    CREATE TABLE deliveries (
                        id INTEGER PRIMARY KEY,
                        subscription_id TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
                        event_seq INTEGER NOT NULL REFERENCES events(seq),
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_status INTEGER,
                        last_error TEXT,
                        delivered_at REAL,
                        UNIQUE (subscription_id, event_seq)
                    );
                    CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
                    CREATE TABLE delivery_attempts (
                        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
                        attempt INTEGER NOT NULL,
                        at REAL NOT NULL,
                        status_code INTEGER,
                        latency_ms REAL NOT NULL,
                        error TEXT,
                        PRIMARY KEY (delivery_id, attempt)
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v2-orchestration") { db in
            try db.execute(
                sql: """
                    ALTER TABLE shipments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                    CREATE TABLE shipment_tracking_numbers (
                        tracking_number TEXT NOT NULL,
                        shipment_id TEXT NOT NULL,
                        PRIMARY KEY (tracking_number, shipment_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE region_preferences (region TEXT PRIMARY KEY, warehouse_ids TEXT NOT NULL);
                    CREATE TABLE scheduled_receipts (
                        id TEXT PRIMARY KEY,
                        warehouse_id TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        status TEXT NOT NULL,
                        expected_date TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX scheduled_receipts_sku ON scheduled_receipts(sku, status);
                    CREATE TABLE backorders (
                        order_id TEXT NOT NULL,
                        line_no INTEGER NOT NULL,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        promised_date TEXT,
                        PRIMARY KEY (order_id, line_no)
                    ) WITHOUT ROWID;
                    CREATE INDEX backorders_sku ON backorders(sku);
                    CREATE TABLE invoices (
                        id TEXT PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        order_id TEXT NOT NULL,
                        shipment_id TEXT NOT NULL UNIQUE,
                        customer_id TEXT NOT NULL,
                        total INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX invoices_order ON invoices(order_id);
                    CREATE TABLE credit_memos (
                        id TEXT PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        order_id TEXT NOT NULL,
                        return_id TEXT,
                        customer_id TEXT NOT NULL,
                        total INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX credit_memos_order ON credit_memos(order_id);
                    CREATE TABLE returns (
                        id TEXT PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        order_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX returns_order ON returns(order_id);
                    CREATE TABLE operations_exceptions (
                        pos INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        order_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX operations_exceptions_status ON operations_exceptions(status, pos);
                    CREATE TABLE availability_dirty (
                        sku TEXT PRIMARY KEY,
                        first_changed_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE availability_published (
                        sku TEXT NOT NULL,
                        warehouse_id TEXT NOT NULL,
                        available INTEGER NOT NULL,
                        published_at REAL NOT NULL,
                        PRIMARY KEY (sku, warehouse_id)
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v3-delivery") { db in
            try db.execute(
                sql: """
                    ALTER TABLE subscriptions ADD COLUMN settings BLOB;
                    ALTER TABLE subscriptions ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
                    ALTER TABLE subscriptions ADD COLUMN status_reason TEXT;
                    ALTER TABLE subscriptions ADD COLUMN previous_secret TEXT;
                    ALTER TABLE subscriptions ADD COLUMN previous_secret_expires_at REAL;
                    ALTER TABLE deliveries ADD COLUMN ordering_key TEXT NOT NULL DEFAULT '';
                    CREATE INDEX deliveries_key ON deliveries(subscription_id, ordering_key, event_seq);
                    CREATE INDEX deliveries_pending_seq ON deliveries(status, event_seq);
                    """
            )
        }
        migrator.registerMigration("v4-connectors") { db in
            try db.execute(
                sql: """
                    CREATE TABLE partners (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        doc BLOB NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX partners_kind ON partners(kind);
                    CREATE TABLE control_numbers (
                        partner TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        last INTEGER NOT NULL,
                        PRIMARY KEY (partner, kind)
                    ) WITHOUT ROWID;
                    CREATE TABLE edi_interchanges (
                        id TEXT PRIMARY KEY,
                        partner_id TEXT NOT NULL,
                        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                        control_number INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        text TEXT NOT NULL,
                        reply TEXT,
                        UNIQUE (partner_id, direction, control_number)
                    );
                    CREATE TABLE edi_documents (
                        id TEXT PRIMARY KEY,
                        interchange_id TEXT NOT NULL REFERENCES edi_interchanges(id),
                        partner_id TEXT NOT NULL,
                        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                        set_id TEXT NOT NULL,
                        group_control INTEGER NOT NULL,
                        set_control TEXT NOT NULL,
                        order_id TEXT,
                        reference TEXT NOT NULL,
                        status TEXT NOT NULL,
                        detail TEXT,
                        created_at REAL NOT NULL,
                        acknowledged_at REAL
                    );
                    CREATE UNIQUE INDEX edi_documents_outbound ON edi_documents(partner_id, set_id, reference) WHERE direction = 'out';
                    CREATE INDEX edi_documents_order ON edi_documents(order_id);
                    CREATE INDEX edi_documents_group ON edi_documents(partner_id, direction, group_control);
                    CREATE TABLE connector_cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE product_gtins (gtin TEXT PRIMARY KEY, sku TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE external_references (
                        order_id TEXT NOT NULL,
                        partner TEXT NOT NULL,
                        document_type TEXT NOT NULL,
                        number TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        recorded_at REAL NOT NULL,
                        PRIMARY KEY (order_id, partner, document_type, number)
                    ) WITHOUT ROWID;
                    """
            )
            // Index the GTINs of products written before this migration.
            for row in try Row.fetchAll(db, sql: "SELECT sku, doc FROM products") {
                let doc: Data = row["doc"]
                if let object = try? JSONSerialization.jsonObject(with: doc) as? [String: Any], let gtin = object["gtin"] as? String, !gtin.isEmpty {
                    try db.execute(sql: "INSERT OR REPLACE INTO product_gtins(gtin, sku) VALUES (?, ?)", arguments: [gtin, row["sku"] as String])
                }
            }
        }
        migrator.registerMigration("v5-coordination") { db in
            try db.execute(
                sql: """
                    CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v6-key-lifecycle") { db in
            try db.execute(
                sql: """
                    ALTER TABLE api_keys ADD COLUMN expires_at REAL;
                    ALTER TABLE api_keys ADD COLUMN revoked_at REAL;
                    ALTER TABLE api_keys ADD COLUMN last_used_at REAL;
                    """
            )
        }
        migrator.registerMigration("v10-partner-isolation") { db in
            // An order belongs to the partner of its channel reference; a subscription to the partner whose key made it.
            try db.execute(
                sql: """
                    ALTER TABLE orders ADD COLUMN partner TEXT;
                    UPDATE orders SET partner = json_extract(CAST(doc AS TEXT), '$.channelRef.partner');
                    CREATE INDEX orders_partner ON orders(partner, pos) WHERE partner IS NOT NULL;
                    ALTER TABLE subscriptions ADD COLUMN partner TEXT;
                    """
            )
        }
        migrator.registerMigration("v7-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        key_id TEXT NOT NULL,
                        key_name TEXT NOT NULL,
                        partner TEXT,
                        method TEXT NOT NULL,
                        route TEXT NOT NULL,
                        path TEXT NOT NULL,
                        resource TEXT NOT NULL,
                        status INTEGER,
                        request_id TEXT NOT NULL,
                        source TEXT,
                        changes TEXT
                    );
                    CREATE INDEX audit_log_key ON audit_log(key_id, seq);
                    CREATE INDEX audit_log_resource ON audit_log(resource, seq);
                    CREATE INDEX audit_log_at ON audit_log(at);
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    """
            )
        }
        migrator.registerMigration("v11-rate-limits") { db in
            // Policies only: the counters live in memory (one process owns the file).
            try db.execute(
                sql: """
                    CREATE TABLE rate_limits (
                        subject TEXT PRIMARY KEY,
                        requests INTEGER NOT NULL CHECK (requests > 0),
                        window_seconds INTEGER NOT NULL CHECK (window_seconds > 0),
                        updated_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v12-watchdogs") { db in
            // Watchdog exceptions carry their natural key (one exception per breach); the deadlines are one document;
            // the indexes serve the watchdogs' scans (released fulfilment orders, unacknowledged documents, channels).
            try db.execute(
                sql: """
                    ALTER TABLE operations_exceptions ADD COLUMN watchdog_key TEXT;
                    CREATE UNIQUE INDEX operations_exceptions_watchdog_key ON operations_exceptions(watchdog_key) WHERE watchdog_key IS NOT NULL;
                    CREATE INDEX operations_exceptions_order ON operations_exceptions(order_id, status);
                    CREATE INDEX fulfillment_orders_status ON fulfillment_orders(status);
                    CREATE INDEX edi_documents_status ON edi_documents(direction, status, created_at);
                    CREATE INDEX orders_channel ON orders(channel, pos);
                    CREATE TABLE watchdog_deadlines (id INTEGER PRIMARY KEY CHECK (id = 1), doc BLOB NOT NULL, updated_at REAL NOT NULL);
                    """
            )
        }
        migrator.registerMigration("v13-console") { db in
            // The console's reads: search by business key, an order's events and deliveries, KPIs over a time window.
            try db.execute(
                sql: """
                    ALTER TABLE orders ADD COLUMN customer_po TEXT;
                    UPDATE orders SET customer_po = json_extract(CAST(doc AS TEXT), '$.customerPo');
                    CREATE INDEX orders_customer_po ON orders(customer_po) WHERE customer_po IS NOT NULL;
                    CREATE INDEX orders_external_id ON orders(external_id);
                    CREATE INDEX events_correlation ON events(correlation_id, seq);
                    CREATE INDEX events_type_time ON events(type, time);
                    CREATE INDEX deliveries_event ON deliveries(event_seq);
                    CREATE INDEX delivery_attempts_at ON delivery_attempts(at);
                    CREATE INDEX external_references_number ON external_references(number);
                    CREATE INDEX edi_interchanges_control ON edi_interchanges(control_number);
                    CREATE INDEX edi_documents_reference ON edi_documents(reference);
                    CREATE INDEX edi_documents_group_control ON edi_documents(group_control);
                    """
            )
        }
        migrator.registerMigration("v14-console-sessions") { db in
            // Console sign-ins: the hash of the cookie's token, the key it signed in with, the session's CSRF token.
            try db.execute(
                sql: """
                    CREATE TABLE console_sessions (
                        token_hash TEXT PRIMARY KEY,
                        key_hash TEXT NOT NULL,
                        csrf_token TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
                    """
            )
        }
        migrator.registerMigration("v15-alert-routes") { db in
            // Resolved exceptions an alert route still has to be told about (see AlertPlan).
            try db.execute(
                sql: """
                    ALTER TABLE operations_exceptions ADD COLUMN alert_pending INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX operations_exceptions_alert_pending ON operations_exceptions(pos) WHERE alert_pending = 1;
                    """
            )
        }
        migrator.registerMigration("v16-event-trace-context") { db in
            // The W3C traceparent of the request that appended each event (the CloudEvents distributed tracing
            // extension); null when traces are not exported or no request caused it.
            try db.execute(sql: "ALTER TABLE events ADD COLUMN traceparent TEXT")
        }
        migrator.registerMigration("v17-inbound-messages") { db in
            // The channel message that created each order (InboundMessage), for its trace.
            try db.execute(sql: "CREATE TABLE inbound_messages (order_id TEXT PRIMARY KEY, received_at REAL NOT NULL, doc BLOB NOT NULL)")
        }
        migrator.registerMigration("v18-master-data-feeds") { db in
            // Master-data feed batches (their summaries) and the records they quarantined (docs/master-data.md).
            try db.execute(
                sql: """
                    CREATE TABLE master_data_batches (id TEXT PRIMARY KEY, received_at REAL NOT NULL, doc BLOB NOT NULL);
                    CREATE INDEX master_data_batches_received ON master_data_batches(received_at);
                    CREATE TABLE master_data_quarantine (
                        pos INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        batch_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        doc BLOB NOT NULL
                    );
                    CREATE INDEX master_data_quarantine_status ON master_data_quarantine(status, pos);
                    CREATE INDEX master_data_quarantine_batch ON master_data_quarantine(batch_id, pos);
                    """
            )
        }
        migrator.registerMigration("v19-legal-entities") { db in
            // Legal entities: each names its currency, ERP instance and tax rules (docs/master-data.md#legal-entities).
            try db.execute(sql: "CREATE TABLE legal_entities (id TEXT PRIMARY KEY, doc BLOB NOT NULL)")
        }
        migrator.registerMigration("v20-kpi-rollup") { db in
            // The KPI rollup (``KPIRollup``): cells per minute and hour, and what the fold remembers per order and per
            // fulfilment order. Filled from the start of the log by its follower.
            try db.execute(
                sql: """
                    CREATE TABLE kpi_rollup (
                        grain INTEGER NOT NULL, metric TEXT NOT NULL, start INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (grain, metric, start, bucket)
                    ) WITHOUT ROWID;
                    CREATE TABLE kpi_orders (order_id TEXT PRIMARY KEY, received_at REAL, mask INTEGER NOT NULL, invoiced_at REAL) WITHOUT ROWID;
                    CREATE TABLE kpi_fulfillments (fulfillment_order_id TEXT PRIMARY KEY, released_at REAL, first_shipped_at REAL) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v21-attempt-minutes") { db in
            // Delivery attempts counted per minute in the transaction that records them (``AttemptCounts``), so that
            // the KPIs' delivery success rate reads a few rows; `shard` spreads PostgreSQL's concurrent writers (0 here).
            try db.execute(
                sql: """
                    CREATE TABLE delivery_attempt_minutes (
                        minute INTEGER NOT NULL, shard INTEGER NOT NULL, attempts INTEGER NOT NULL, succeeded INTEGER NOT NULL,
                        PRIMARY KEY (minute, shard)
                    ) WITHOUT ROWID;
                    INSERT INTO delivery_attempt_minutes(minute, shard, attempts, succeeded)
                    SELECT CAST(at / 60 AS INTEGER), 0, COUNT(*), SUM(CASE WHEN status_code BETWEEN 200 AND 299 THEN 1 ELSE 0 END)
                    FROM delivery_attempts GROUP BY 1;
                    """
            )
        }
        return migrator
    }
}
