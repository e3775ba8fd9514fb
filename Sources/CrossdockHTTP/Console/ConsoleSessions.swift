import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Signing in and out of the console, and what every page and action asks of the request: a live session, its key,
/// and for a form, the session's CSRF token and a post from the hub's own pages.
extension ConsoleRoutes {
    /// The session cookie's name.
    static let cookieName = "crossdock_console"
    /// How long a sign-in lasts.
    static let sessionSeconds = 8 * 3600

    /// A signed-in caller.
    struct SignedIn {
        var session: ConsoleSession
        var key: APIKeyRecord
    }

    func addSessionRoutes(to router: RouteTable) {
        router.get("/console/sign-in") { _, _ in
            ConsoleHTML.response(ConsolePages.signIn(message: nil))
        }
        router.post("/console/sign-in") { request, _ in
            try Self.requireSameSite(request)
            let form = try await Self.form(request)
            let now = Date()
            guard let secret = form["key"], !secret.isEmpty, secret.utf8.count <= 256,
                let key = try await store.key(hash: APIKeys.hash(secret)), key.refusal(at: now) == nil
            else {
                return ConsoleHTML.response(ConsolePages.signIn(message: "That key is unknown, revoked or expired."), status: .unauthorized)
            }
            guard APIKeys.grants(key, .ordersRead) else {
                return ConsoleHTML.response(ConsolePages.signIn(message: "That key lacks the scope orders:read."), status: .forbidden)
            }
            let token = Self.randomToken()
            var expiry = now.addingTimeInterval(TimeInterval(Self.sessionSeconds))
            if let keyExpiry = key.expiresAt { expiry = min(expiry, keyExpiry) }
            try await store.createConsoleSession(
                ConsoleSession(tokenHash: APIKeys.hash(token), keyHash: key.hash, csrfToken: Self.randomToken(), createdAt: now, expiresAt: expiry)
            )
            let maxAge = max(1, Int(expiry.timeIntervalSince(now)))
            return ConsoleHTML.redirect("/console", headers: [.setCookie: cookie(token, maxAge: maxAge)])
        }
        router.post("/console/sign-out") { request, _ in
            try Self.requireSameSite(request)
            if let signedIn = try await signedIn(request) {
                let form = try await Self.form(request)
                try Self.requireCSRF(form, signedIn.session)
                try await store.deleteConsoleSession(tokenHash: signedIn.session.tokenHash)
            }
            return ConsoleHTML.redirect("/console/sign-in", headers: [.setCookie: cookie("", maxAge: 0)])
        }
    }

    /// The session the request's cookie names and its key, when both are valid now; nil when there is no cookie, the
    /// session is unknown or expired, or its key was revoked, rotated or has expired.
    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let token = Self.sessionToken(request), token.utf8.count <= 128 else { return nil }
        let now = Date()
        guard let session = try await store.consoleSession(tokenHash: APIKeys.hash(token), now: now),
            let key = try await store.key(hash: session.keyHash), key.refusal(at: now) == nil
        else { return nil }
        return SignedIn(session: session, key: key)
    }

    /// The `Set-Cookie` value of the session cookie holding `token`.
    func cookie(_ token: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(token); Path=/console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secureCookie ? "; Secure" : "")"
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The session cookie's value, if the request carries one.
    static func sessionToken(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == cookieName, !parts[1].isEmpty { return String(parts[1]) }
            }
        }
        return nil
    }

    /// Refuses a form whose `csrf` field is not the session's token (compared in constant time).
    static func requireCSRF(_ form: [String: String], _ session: ConsoleSession) throws(Problem) {
        let given = Array((form["csrf"] ?? "").utf8)
        let expected = Array(session.csrfToken.utf8)
        var difference = given.count == expected.count ? 0 : 1
        for (a, b) in zip(given, expected) { difference |= Int(a ^ b) }
        guard difference == 0 else {
            throw Problem(
                status: .forbidden,
                code: "csrf_token_invalid",
                title: "The form's CSRF token is missing or stale",
                detail: "reload the page and submit its form again"
            )
        }
    }

    /// Refuses a form post from another site: a browser says where a request comes from in `Sec-Fetch-Site` and
    /// `Origin`; either, when present, must name this hub.
    static func requireSameSite(_ request: Request) throws(Problem) {
        let refusal = Problem(
            status: .forbidden,
            code: "cross_site_request",
            title: "A console form was posted from another site",
            detail: "the console accepts its forms from its own pages only"
        )
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { throw refusal }
        if let origin = request.headers[.origin] {
            guard let authority = request.head.authority, origin == "http://\(authority)" || origin == "https://\(authority)" else { throw refusal }
        }
    }

    /// An `application/x-www-form-urlencoded` body (8 KiB at most).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 8192)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
