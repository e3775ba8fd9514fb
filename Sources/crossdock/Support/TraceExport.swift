import Foundation
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces, off unless `serve --otel-endpoint` names a collector: the spans of each HTTP request (an
/// inbound W3C `traceparent` is their parent), each commit, each delivery attempt (whose `traceparent` the webhook
/// carries) and each connector step are exported over OTLP/HTTP in batches.
enum TraceExport {
    /// Bootstraps the tracer and returns the service that exports its spans: run it before the hub's services, so it
    /// stops after them and flushes their last spans.
    /// - Parameters:
    ///   - endpoint: the collector's OTLP/HTTP base URL (`http://collector:4318`); spans go to its `/v1/traces`.
    ///   - serviceName: `service.name` of the resource.
    /// - Throws: when the exporter cannot be made (an unusable URL or certificate).
    static func bootstrap(endpoint: String, serviceName: String) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = tracesURL(endpoint)
        // The standard OTEL_* variables (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_BSP_SCHEDULE_DELAY, OTEL_TRACES_SAMPLER…)
        // still apply over these.
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }

    /// `base` + `/v1/traces`, as the OTLP/HTTP specification builds a signal's URL from the shared endpoint.
    static func tracesURL(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v1/traces") ? base : base + "/v1/traces"
    }
}
