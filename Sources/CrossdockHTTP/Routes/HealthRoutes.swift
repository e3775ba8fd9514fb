import CrossdockStore
import Hummingbird
import Prometheus

/// Liveness, readiness and metrics; open without a key.
struct HealthRoutes {
    let store: any Store
    let registry: PrometheusCollectorRegistry?

    func add(to router: RouteTable) {
        router.get("/health/live") { _, _ in
            try Response.json(["status": "live"])
        }
        router.get("/health/ready") { _, _ in
            guard await store.isReady() else {
                throw Problem(
                    status: .serviceUnavailable,
                    code: "not_ready",
                    title: "Not ready",
                    detail: "the database does not answer or migrations are pending",
                    headers: [.retryAfter: "1"]
                )
            }
            return try Response.json(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry?.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
