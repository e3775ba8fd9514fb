import Configuration
import CrossdockStore
import SystemPackage

/// Where the hub's settings come from, highest precedence first: command-line options, environment variables,
/// a `.env` file in the working directory, defaults.
///
/// Keys (environment variable in brackets): `db.url` (`DB_URL`, default `sqlite:./crossdock.sqlite`),
/// `http.host` (`HTTP_HOST`, default `127.0.0.1`), `http.port` (`HTTP_PORT`, default 8080),
/// `delivery.max.attempts` (`DELIVERY_MAX_ATTEMPTS`, default 12), `delivery.retry.base.ms`
/// (`DELIVERY_RETRY_BASE_MS`, default 1000), `delivery.backlog.max` (`DELIVERY_BACKLOG_MAX`, default 100 000),
/// `availability.window.ms` (`AVAILABILITY_WINDOW_MS`, default 200), `http.tls.cert` and `http.tls.key`
/// (`HTTP_TLS_CERT`, `HTTP_TLS_KEY`, PEM files; unset serves plain HTTP), `http.public.url` (`HTTP_PUBLIC_URL`,
/// default the bound address), `crossdock.secret.key` and `crossdock.secret.key.previous` (`CROSSDOCK_SECRET_KEY`,
/// `CROSSDOCK_SECRET_KEY_PREVIOUS`: the base64 of 32 bytes each; unset stores secrets in plain text),
/// `rate.limit.key` and `rate.limit.partner` (`RATE_LIMIT_KEY`, `RATE_LIMIT_PARTNER`: `REQUESTS/WINDOW`, e.g.
/// `600/60s`; unset limits nobody but the subjects of stored policies).
struct Settings {
    let reader: ConfigReader

    /// Reads the environment and `.env` (when present).
    static func load() async throws -> Settings {
        Settings(
            reader: ConfigReader(providers: [
                EnvironmentVariablesProvider(),
                try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
            ])
        )
    }

    /// The database URL: `option` when given, else `db.url`, else the default.
    func databaseURL(_ option: String?) -> String {
        option ?? reader.string(forKey: "db.url", default: "sqlite:./crossdock.sqlite")
    }

    /// The box that encrypts stored secrets, from `crossdock.secret.key` and `crossdock.secret.key.previous`.
    /// - Throws: ``SecretError`` naming the variable that is malformed, never its value.
    func secretBox() throws(SecretError) -> SecretBox {
        try SecretBox(
            key: reader.string(forKey: "crossdock.secret.key", isSecret: true),
            previousKey: reader.string(forKey: "crossdock.secret.key.previous", isSecret: true)
        )
    }

    /// `option` when given, else the integer at `key`, else `fallback`.
    func int(_ option: Int?, _ key: ConfigKey, default fallback: Int) -> Int {
        option ?? reader.int(forKey: key, default: fallback)
    }

    /// `option` when given, else the string at `key`, else `fallback`.
    func string(_ option: String?, _ key: ConfigKey, default fallback: String) -> String {
        option ?? reader.string(forKey: key, default: fallback)
    }
}
