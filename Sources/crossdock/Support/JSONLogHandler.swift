import CrossdockDomain
import Foundation
import Logging

/// One JSON object per line on standard error (`--log-format json`): time, level, label, message, source and every
/// metadata value, the trace and span ids of the current span among them when traces are exported, so a log line
/// finds its trace.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        var line = JSONWriter()
        line.object { object in
            object.field("time", JSONCoding.format(Date()))
            object.field("level", event.level.rawValue)
            object.field("label", label)
            object.field("message", "\(event.message)")
            object.field("source", event.source)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { object.field(key, Self.text(value)) }
        }
        var bytes = line.bytes
        bytes.append(UInt8(ascii: "\n"))
        // One write(2) per line: lines from concurrent tasks never interleave.
        bytes.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// A metadata value as text: strings as they are, lists and dictionaries as their description.
    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array, .dictionary: value.description
        }
    }
}
