import CrossdockDomain
import Foundation
import Yams

/// The published contract, read from the package's resources: the OpenAPI 3.1 document (`openapi.yaml`, served as
/// is at `/openapi.yaml` and rendered at `/docs`) and the JSON Schemas of every event type's `data`
/// (`event-schemas.json`, served at `/v1/event-types`).
public struct Contract: Sendable {
    /// Why the contract could not be read.
    public struct LoadError: Error, CustomStringConvertible {
        /// What is missing or malformed.
        public var description: String
    }

    /// The OpenAPI document as written.
    public let openAPIText: String
    /// The OpenAPI document parsed.
    public let openAPI: JSONValue
    /// The event catalogue.
    public let events: EventCatalogue

    /// Reads the bundled contract.
    public static func load() throws -> Contract {
        guard let yamlURL = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
            let schemasURL = Bundle.module.url(forResource: "event-schemas", withExtension: "json", subdirectory: "Resources")
        else { throw LoadError(description: "the contract resources (openapi.yaml, event-schemas.json) are missing from the bundle") }
        let text = try String(contentsOf: yamlURL, encoding: .utf8)
        return Contract(
            openAPIText: text,
            openAPI: try parseYAML(text),
            events: try EventCatalogue(json: try Data(contentsOf: schemasURL))
        )
    }

    /// The bundled contract, read once; nil (and `/openapi.yaml` answers 500) only if the resources are missing.
    public static let bundled: Contract? = try? load()

    /// Parses YAML into JSON values (null, booleans, numbers and strings resolved as the YAML core schema says).
    public static func parseYAML(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { throw LoadError(description: "the document is empty") }
        return try json(node)
    }

    private static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if node.null != nil { return .null }
                if let value = node.bool { return .bool(value) }
                if let value = node.int { return .number(Double(value)) }
                if let value = node.float, scalar.string.contains(where: \.isNumber) { return .number(value) }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw LoadError(description: "a mapping key is not a string") }
                members[name] = try json(value)
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .alias:
            throw LoadError(description: "aliases are not used in the contract")
        }
    }
}
