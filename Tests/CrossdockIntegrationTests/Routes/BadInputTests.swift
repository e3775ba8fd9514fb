import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// One malformed request: what is sent and the precise problem it must produce.
struct BadRequest: Sendable, CustomTestStringConvertible {
    /// The class of bad input (issue 12, item 8).
    enum Kind: String, Sendable {
        case brokenJSON = "broken JSON"
        case wrongType = "wrong type"
        case unknownField = "unknown field"
        case hugeNumber = "huge number"
        case oversize = "oversize body"
        case wrongContentType = "wrong content type"
        case badUTF8 = "bad UTF-8"
        case pathTraversal = "path traversal in an id"
        case headerInjection = "header injection in an id"
        case controlCharacters = "control characters in an identifier"
    }

    var kind: Kind
    var name: String
    var method: HTTPRequest.Method
    var uri: String
    var body: [UInt8]
    var contentType: String? = "application/json"
    var headers: HTTPFields = [:]
    var status: HTTPResponse.Status
    var code: String
    var fields: [String]

    var testDescription: String { "\(kind.rawValue): \(name)" }

    init(
        _ kind: Kind,
        _ name: String,
        _ method: HTTPRequest.Method,
        _ uri: String,
        body: String,
        contentType: String? = "application/json",
        headers: HTTPFields = [:],
        _ status: HTTPResponse.Status,
        _ code: String,
        fields: [String]
    ) {
        self.init(kind, name, method, uri, bytes: Array(body.utf8), contentType: contentType, headers: headers, status, code, fields: fields)
    }

    init(
        _ kind: Kind,
        _ name: String,
        _ method: HTTPRequest.Method,
        _ uri: String,
        bytes: [UInt8],
        contentType: String? = "application/json",
        headers: HTTPFields = [:],
        _ status: HTTPResponse.Status,
        _ code: String,
        fields: [String]
    ) {
        self.kind = kind
        self.name = name
        self.method = method
        self.uri = uri
        self.body = bytes
        self.contentType = contentType
        self.headers = headers
        self.status = status
        self.code = code
        self.fields = fields
    }
}

/// Every class of malformed request gets a precise 4xx problem and changes nothing (rows counted before and after).
@Suite struct BadInputTests {
    @Test(arguments: BadRequest.all)
    func malformedRequestsAreRefusedPreciselyAndWriteNothing(bad: BadRequest) async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            var headers = bad.headers
            headers[.authorization] = "Bearer \(key)"
            if let type = bad.contentType { headers[.contentType] = type }
            let response = try await client.execute(uri: bad.uri, method: bad.method, headers: headers, body: ByteBuffer(bytes: bad.body))
            try expectProblem(response, bad.status, code: bad.code, fields: bad.fields.isEmpty ? nil : bad.fields)
            #expect(try await database.store.rowCounts() == before, "\(bad.testDescription) wrote something")
            // The problem never echoes a control character back.
            #expect(!response.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        }
    }

    @Test func everyClassOfTheIssueIsCovered() {
        let kinds: [BadRequest.Kind] = [
            .brokenJSON, .wrongType, .unknownField, .hugeNumber, .oversize, .wrongContentType, .badUTF8, .pathTraversal, .headerInjection,
            .controlCharacters,
        ]
        for kind in kinds { #expect(BadRequest.all.contains { $0.kind == kind }, "no case for \(kind.rawValue)") }
    }

    @Test func aPartnerIdWithControlCharactersIsRefusedAndNotStored() async throws {
        try await withHub { client, _, key in
            let response = try await client.send(
                .put,
                "/v1/partners/acme%00shop",
                key: key,
                json: #"{"kind":"shopify","shopDomain":"a.myshopify.com","secret":"s"}"#
            )
            try expectProblem(response, .badRequest, code: "invalid_path", fields: ["id"])
            let list = try await client.send(.get, "/v1/partners", key: key)
            #expect(list.text == "[]")
        }
    }
}
