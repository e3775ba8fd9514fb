import CrossdockConnectors
import CrossdockDomain
import Crypto
import Foundation
import Testing

/// The shared public samples (/work/shared/samples, or `$CROSSDOCK_SAMPLES`), read in place and never copied.
enum Samples {
    static let directory = URL(filePath: ProcessInfo.processInfo.environment["CROSSDOCK_SAMPLES"] ?? "/work/shared/samples")

    /// Whether the samples folder is there; tests that need it are skipped with a message when it is not.
    static let available = FileManager.default.fileExists(atPath: directory.appending(path: "SOURCES.md").path)

    static let skipMessage: Comment = "samples folder absent: set CROSSDOCK_SAMPLES to the shared samples directory"

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: relative)))
    }
}

extension String {
    /// The UTF-8 bytes.
    var bytes: [UInt8] { Array(utf8) }
}

enum Sign {
    static func mac(_ body: [UInt8], _ secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func base64(_ body: [UInt8], _ secret: String) -> String { Data(mac(body, secret)).base64EncodedString() }

    static func crossdock(_ body: [UInt8], _ secret: String) -> String { "sha256=" + hex(mac(body, secret)) }
}

/// Runs `body` and returns the `ConnectorError` it throws; records an issue when it throws none.
func connectorError(_ body: () throws(ConnectorError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> ConnectorError? {
    do {
        try body()
        Issue.record("expected a ConnectorError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Parses an ISO 8601 time for expectations.
func date(_ text: String) -> Date {
    guard let value = JSONCoding.parse(text) else { fatalError("bad test date \(text)") }
    return value
}
