import Foundation
import Testing

/// Validates events' `data` against the hub's published JSON Schemas with Python's `jsonschema` (an independent
/// implementation of draft 2020-12), through `validate_events.py` in the venv `scripts/api-venv.sh` creates.
///
/// The venv is `$CROSSDOCK_API_VENV` or `<package root>/.venv-api`. Without it the check is skipped with a message
/// naming the path, unless `CROSSDOCK_REQUIRE_VALIDATORS=1` (CI), where it fails instead.
public enum EventSchemaValidator {
    /// One event to check.
    public struct Event: Encodable, Sendable {
        /// The event id.
        public var id: String
        /// The qualified type.
        public var type: String
        /// The `data` as JSON text.
        public var data: String

        /// Creates an event.
        public init(id: String, type: String, data: String) {
            self.id = id
            self.type = type
            self.data = data
        }
    }

    /// The validator's verdict.
    public struct Verdict: Decodable, Sendable {
        /// One violation.
        public struct Violation: Decodable, Sendable {
            public var id: String
            public var type: String
            /// `published` (the schema as served) or `strict` (undocumented members refused).
            public var mode: String
            public var path: String
            public var message: String
        }

        /// Events checked.
        public var checked: Int
        /// What broke a schema.
        public var errors: [Violation]
        /// Event types that have no schema.
        public var unknownTypes: [String]
        /// The jsonschema version that ran.
        public var jsonschema: String
    }

    public static let venv: String =
        ProcessInfo.processInfo.environment["CROSSDOCK_API_VENV"] ?? ExternalValidators.packageRoot.appendingPathComponent(".venv-api").path

    public static let python = venv + "/bin/python"

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("validate_events.py").path

    /// Whether the venv's python exists.
    public static let isInstalled = FileManager.default.isExecutableFile(atPath: python)

    /// Records an issue when the validator is required (`CROSSDOCK_REQUIRE_VALIDATORS=1`) but missing; otherwise
    /// prints why the check is skipped. Returns whether it can run.
    public static func requireOrSkip() -> Bool {
        if isInstalled { return true }
        if ExternalValidators.isRequired {
            Issue.record("CROSSDOCK_REQUIRE_VALIDATORS=1 but \(python) does not exist; run scripts/api-venv.sh")
        } else {
            print("jsonschema not installed at \(venv): run `bash scripts/api-venv.sh` (or set CROSSDOCK_API_VENV); event schema validation skipped")
        }
        return false
    }

    /// Validates `events` against `schemas` (qualified type → self-contained JSON Schema, as JSON text).
    public static func validate(events: [Event], schemas: [String: String]) throws -> Verdict {
        var input = Data("{\"schemas\":{".utf8)
        for (index, (type, schema)) in schemas.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { input.append(UInt8(ascii: ",")) }
            input.append(try JSONEncoder().encode(type))
            input.append(UInt8(ascii: ":"))
            input.append(Data(schema.utf8))
        }
        input.append(Data("},\"events\":[".utf8))
        for (index, event) in events.enumerated() {
            if index > 0 { input.append(UInt8(ascii: ",")) }
            input.append(Data("{\"id\":".utf8) + (try JSONEncoder().encode(event.id)) + Data(",\"type\":".utf8))
            input.append(try JSONEncoder().encode(event.type))
            input.append(Data(",\"data\":".utf8) + Data(event.data.utf8) + Data("}".utf8))
        }
        input.append(Data("]}".utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-events-\(UUID().uuidString).json")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ChildProcess.run(URL(fileURLWithPath: python), [script, file.path], mergeErrors: false)
        let (data, stderr) = (result.output, result.errors)
        guard result.status == 0, let line = data.split(separator: UInt8(ascii: "\n")).last else {
            throw ExternalValidators.HarnessError(
                description: "validate_events.py exited \(result.status): \(String(decoding: stderr.suffix(2000), as: UTF8.self))"
            )
        }
        return try JSONDecoder().decode(Verdict.self, from: Data(line))
    }
}
