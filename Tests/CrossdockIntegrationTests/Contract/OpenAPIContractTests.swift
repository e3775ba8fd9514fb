import CrossdockDomain
import CrossdockHTTP
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Yams

/// `/openapi.yaml` cannot drift from the code: every route registered on the router is documented with its method,
/// every documented operation is registered, and every operation carries what partners generate clients from.
@Suite struct OpenAPIContractTests {
    static let methods = ["get", "put", "post", "delete", "patch"]

    /// The document as committed, parsed by Yams independently of the hub's own loader.
    static func document() throws -> JSONValue {
        let url = ExternalValidatorsRoot.url.appendingPathComponent("Sources/CrossdockHTTP/Resources/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let parsed = try Yams.load(yaml: text) else { throw TestFailure("openapi.yaml is empty") }
        return try JSONValue.from(yaml: parsed)
    }

    /// The registered routes, from the route table the hub builds.
    static func registered() async throws -> Set<String> {
        let database = try await TestDatabase()
        defer { database.remove() }
        return Set(Hub.routeTable(store: database.store).routes.map { "\($0.method.rawValue) \($0.path)" })
    }

    static func documented(_ document: JSONValue) -> Set<String> {
        var result: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in methods where item[method] != nil { result.insert("\(method.uppercased()) \(path)") }
        }
        return result
    }

    @Test func everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() async throws {
        let document = try Self.document()
        let registered = try await Self.registered()
        let documented = Self.documented(document)
        #expect(registered.count > 60)
        #expect(registered.subtracting(documented).sorted() == [], "registered but missing from openapi.yaml")
        #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
    }

    @Test func theHubServesTheCommittedDocument() async throws {
        let committed = try String(
            contentsOf: ExternalValidatorsRoot.url.appendingPathComponent("Sources/CrossdockHTTP/Resources/openapi.yaml"),
            encoding: .utf8
        )
        try await withHub(catalog: nil) { client, _, _ in
            let response = try await client.send(.get, "/openapi.yaml", key: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(response.text == committed)
        }
    }

    @Test func everyOperationHasAnOwnerAnIdTagsAndDocumentedResponses() throws {
        let document = try Self.document()
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
        let tags = (document["tags"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        for tag in document["tags"]?.arrayValue ?? [] {
            #expect(tag["x-owner"]?.stringValue?.isEmpty == false, "tag \(tag["name"]?.stringValue ?? "?") has no x-owner")
        }
        var operationIDs: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in Self.methods {
                guard let operation = item[method] else { continue }
                let name = "\(method.uppercased()) \(path)"
                #expect(operation["x-owner"]?.stringValue?.isEmpty == false, "\(name) has no x-owner")
                #expect(operation["summary"]?.stringValue?.isEmpty == false, "\(name) has no summary")
                let id = operation["operationId"]?.stringValue ?? ""
                #expect(!id.isEmpty && operationIDs.insert(id).inserted, "\(name): operationId missing or repeated")
                let operationTags = (operation["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
                #expect(operationTags.count == 1 && tags.contains(operationTags[0]), "\(name): one tag from the tag list")
                let owner = (document["tags"]?.arrayValue ?? []).first { $0["name"]?.stringValue == operationTags.first }?["x-owner"]
                #expect(operation["x-owner"] == owner, "\(name): x-owner differs from its tag's")
                let responses = operation["responses"]?.objectValue ?? [:]
                // A form post's success is a 303 to the next page (the console's sign-in and sign-out).
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "303" }, "\(name) documents no success response")
                for parameter in path.split(separator: "/").filter({ $0.hasPrefix("{") }) {
                    let declared = ((item["parameters"]?.arrayValue ?? []) + (operation["parameters"]?.arrayValue ?? [])).map {
                        resolve($0, in: document)
                    }
                    #expect(
                        declared.contains { $0["in"]?.stringValue == "path" && "{\($0["name"]?.stringValue ?? "")}" == String(parameter) },
                        "\(name) does not declare path parameter \(parameter)"
                    )
                }
                if path.hasPrefix("/v1") && !path.hasPrefix("/v1/event-types") {
                    #expect(operation["security"]?.arrayValue?.isEmpty != true, "\(name) is a /v1 route but documents no security")
                    #expect(responses["401"] != nil, "\(name) does not document 401")
                    #expect(responses["429"] != nil, "\(name) does not document 429 (every keyed route is rate limited)")
                }
            }
        }
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var missing: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let ref)? = members["$ref"], resolvePointer(ref, in: document) == nil { missing.append(ref) }
                for member in members.values { walk(member) }
            case .array(let elements):
                for element in elements { walk(element) }
            default:
                break
            }
        }
        walk(document)
        #expect(missing == [])
    }

    @Test func securitySchemesCoverBearerKeysAndEveryPartnerSignature() throws {
        let schemes = try Self.document()["components"]?["securitySchemes"]?.objectValue ?? [:]
        #expect(schemes["bearer"]?["scheme"]?.stringValue == "bearer")
        let headers = Set(schemes.values.compactMap { $0["name"]?.stringValue })
        for header in ["X-Shopify-Hmac-Sha256", "X-Crossdock-Signature", "X-Hmac-Signature", "Shippo-Auth-Signature"] {
            #expect(headers.contains(header), "no security scheme for \(header)")
        }
    }

    @Test func deprecationsInTheDocumentMatchTheCode() throws {
        let document = try Self.document()
        var documented: Set<String> = []
        var sunsets: [String: String] = [:]
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in Self.methods {
                guard let operation = item[method] else { continue }
                if operation["deprecated"] == .bool(true) {
                    documented.insert("\(method.uppercased()) \(path)")
                    sunsets["\(method.uppercased()) \(path)"] = operation["x-sunset"]?.stringValue
                }
                for parameter in (operation["parameters"]?.arrayValue ?? []).map({ resolve($0, in: document) })
                where parameter["deprecated"] == .bool(true) {
                    let name = "\(method.uppercased()) \(path)?\(parameter["name"]?.stringValue ?? "")"
                    documented.insert(name)
                    sunsets[name] = parameter["x-sunset"]?.stringValue
                }
            }
        }
        #expect(documented == Set(Deprecation.all.map(\.metricName)))
        for deprecation in Deprecation.all {
            #expect(sunsets[deprecation.metricName].flatMap(JSONCoding.parse) == deprecation.sunset, "x-sunset of \(deprecation.metricName)")
        }
    }

    @Test func theDocsPageRendersEveryOperationWithNothingFromElsewhere() async throws {
        let document = try Self.document()
        try await withHub(catalog: nil) { client, _, _ in
            let response = try await client.send(.get, "/docs", key: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let policy = response.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'sha256-"))
            let html = response.text
            for (path, _) in document["paths"]?.objectValue ?? [:] {
                #expect(html.contains("<code>\(path.replacingOccurrences(of: "&", with: "&amp;"))</code>"), "\(path) missing from /docs")
            }
            #expect(!html.contains("<script"))
            #expect(!html.contains("<link"))
            #expect(!html.contains("src=\""))
            #expect(!html.contains("href=\"http"), "the docs link outside the hub")
            #expect(html.contains("id=\"deprecations\""))
        }
    }

    @Test func everyProblemCodeTheTestsMeetIsDocumented() throws {
        let codes = try ProblemCatalogue.codes()
        #expect(codes.count > 30)
        for code in ["unauthenticated", "insufficient_scope", "not_found", "invalid_fields", "unknown_fields", "malformed_json", "body_too_large"] {
            #expect(codes.contains(code), "\(code) is not in x-problem-types")
        }
    }
}

/// Follows a `$ref` if `value` is one.
func resolve(_ value: JSONValue, in document: JSONValue) -> JSONValue {
    guard case .string(let ref)? = value["$ref"] else { return value }
    return resolvePointer(ref, in: document) ?? value
}

/// The node at a local JSON pointer (`#/components/schemas/Order`).
func resolvePointer(_ ref: String, in document: JSONValue) -> JSONValue? {
    guard ref.hasPrefix("#/") else { return nil }
    var node: JSONValue? = document
    for part in ref.dropFirst(2).split(separator: "/") {
        node = node?[part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
    }
    return node
}

/// The problem codes `openapi.yaml` documents in `x-problem-types`.
enum ProblemCatalogue {
    static func codes() throws -> Set<String> {
        Set((try OpenAPIContractTests.document()["x-problem-types"]?.objectValue ?? [:]).keys)
    }

    /// Read once for ``expectProblem``.
    static let documented: Set<String> = (try? codes()) ?? []
}

/// The package root.
enum ExternalValidatorsRoot {
    static let url: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()
}

extension JSONValue {
    /// The members, if this is an object.
    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Converts what `Yams.load` returns.
    static func from(yaml value: Any) throws -> JSONValue {
        switch value {
        case let value as Bool: return .bool(value)
        case let value as Int: return .number(Double(value))
        case let value as Double: return .number(value)
        case let value as String: return .string(value)
        case is NSNull: return .null
        case let value as [Any]: return .array(try value.map(from(yaml:)))
        case let value as [AnyHashable: Any]:
            var members: [String: JSONValue] = [:]
            for (key, member) in value {
                guard let key = key.base as? String else { throw TestFailure("a non-string key in openapi.yaml: \(key)") }
                members[key] = try from(yaml: member)
            }
            return .object(members)
        default:
            return .string("\(value)")
        }
    }
}
