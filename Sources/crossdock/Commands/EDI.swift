import ArgumentParser
import CrossdockEDI
import Foundation

/// `crossdock edi`: read, check and write X12 from the command line.
struct EDI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edi",
        abstract: "Parse, validate and render X12 EDI (850, 855, 856, 810, 940, 945, 997).",
        subcommands: [Parse.self, Validate.self, Render.self]
    )

    /// `crossdock edi parse FILE`.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the canonical JSON of every transaction set in an interchange.",
            discussion: """
                Prints {"interchange": {...}, "groups": [{"sets": [{"type", "controlNumber", "status", "document" | \
                "errors"}]}]} on standard output. Exits 1, naming each error's segment position, segment id and \
                element on standard error, when the interchange or any set is invalid. FILE may be - for standard input.
                """
        )

        @Argument(help: "The X12 file (- for standard input).")
        var file: String

        func run() async throws {
            let reading = InboundInterchange.read(try readInput(file))
            let report = ParseReport(reading)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            let errors = report.errorLines
            for line in errors { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            if !errors.isEmpty { throw ExitCode(1) }
        }
    }

    /// `crossdock edi validate FILE`.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every error in an interchange: envelope, segments, elements, syntax notes.",
            discussion: """
                One line per error with its segment position, segment id and element, then a summary. Exits 0 when \
                the interchange is valid, 1 otherwise. FILE may be - for standard input.
                """
        )

        @Argument(help: "The X12 file (- for standard input).")
        var file: String

        func run() async throws {
            let reading = InboundInterchange.read(try readInput(file))
            let report = ParseReport(reading)
            let errors = report.errorLines
            for line in errors { print(line) }
            let sets = report.groups.reduce(0) { $0 + $1.sets.count }
            print(errors.isEmpty ? "valid: \(report.groups.count) group(s), \(sets) set(s)" : "invalid: \(errors.count) error(s)")
            if !errors.isEmpty { throw ExitCode(1) }
        }
    }
}

/// The text of `path`, or of standard input for `-`.
func readInput(_ path: String) throws -> String {
    let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
    guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(path) is not UTF-8 or ASCII text") }
    return text
}

/// What `edi parse` prints.
struct ParseReport: Encodable {
    struct Header: Encodable {
        var senderQualifier, senderId, receiverQualifier, receiverId, date, time, version: String
        var controlNumber: Int
        var usage: String
    }

    /// One set: `{"type", "controlNumber", "status", "document", "errors"}` (the document as ``X12Document`` writes it).
    struct SetReport: Encodable {
        var type: String
        var controlNumber: String
        var status: String
        var document: X12Document?
        var errors: [String]

        enum CodingKeys: String, CodingKey { case type, controlNumber, status, errors }

        func encode(to encoder: any Encoder) throws {
            try document?.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(controlNumber, forKey: .controlNumber)
            try container.encode(status, forKey: .status)
            try container.encode(errors, forKey: .errors)
        }
    }

    struct GroupReport: Encodable {
        var functionalId: String
        var controlNumber: Int
        var version: String
        var status: String
        var errors: [String]
        var sets: [SetReport]
    }

    var interchange: Header?
    var errors: [String]
    var groups: [GroupReport]

    init(_ reading: InboundReading) {
        interchange = reading.interchange.map {
            let h = $0.header
            return Header(
                senderQualifier: h.senderQualifier,
                senderId: h.senderID,
                receiverQualifier: h.receiverQualifier,
                receiverId: h.receiverID,
                date: h.date,
                time: h.time,
                version: h.version,
                controlNumber: h.controlNumber,
                usage: h.usage.rawValue
            )
        }
        errors = reading.interchangeErrors.map(\.description)
        groups = reading.groups.map { group in
            GroupReport(
                functionalId: group.group.functionalIdentifierCode,
                controlNumber: group.group.controlNumber,
                version: group.group.version,
                status: group.acknowledgment.status.rawValue,
                errors: group.envelopeErrors.map(\.description),
                sets: group.sets.map { set in
                    SetReport(
                        type: set.set.id,
                        controlNumber: set.set.controlNumber,
                        status: set.response.status.isAccepted && set.document != nil ? "accepted" : "rejected",
                        document: set.document,
                        errors: set.envelopeErrors.map(\.description) + set.errors.map(\.description)
                            + (set.response.codes.contains("1") ? ["transaction set \(set.set.id) is not one the hub reads"] : [])
                    )
                }
            )
        }
    }

    /// Every error, one line each.
    var errorLines: [String] {
        errors
            + groups.flatMap { group in group.errors + group.sets.flatMap { set in set.errors.map { "set \(set.type) \(set.controlNumber): \($0)" } }
            }
    }
}
