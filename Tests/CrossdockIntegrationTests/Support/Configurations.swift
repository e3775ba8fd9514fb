import CrossdockEngine
import CrossdockHTTP

/// Hub settings for tests: quick retries so outages heal within seconds.
enum CrossdockHTTPConfiguration {
    static var fastRetries: Hub.Configuration {
        var configuration = Hub.Configuration()
        configuration.delivery.retry = RetryPolicy(maxAttempts: 50, base: .milliseconds(20), cap: .milliseconds(300))
        configuration.delivery.pollInterval = .milliseconds(50)
        configuration.breaker = CircuitBreaker(threshold: 5, cooldown: 0.05, maxCooldown: 0.4)
        return configuration
    }
}
