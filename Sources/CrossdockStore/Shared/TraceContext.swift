import Instrumentation
import ServiceContextModule

/// The W3C trace context of the current task, as the events a unit appends store it.
enum TraceContext {
    /// The `traceparent` of the current span, or nil when there is none or no tracer is bootstrapped.
    static func currentTraceparent() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"]
    }

    private struct DictionaryInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    }
}
