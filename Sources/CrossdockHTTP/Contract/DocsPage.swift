import CrossdockDomain
import Crypto
import Foundation

/// `GET /docs`: the OpenAPI document rendered as one HTML page on the hub itself. No script, nothing fetched from
/// elsewhere: the stylesheet is inline and allowed by its hash in the page's `Content-Security-Policy`.
struct DocsPage: Sendable {
    /// The page.
    let html: String
    /// The page's policy: only its own inline stylesheet may load.
    let contentSecurityPolicy: String

    init(document: JSONValue, events: [EventCatalogue.Entry]) {
        let hash = Data(SHA256.hash(data: Data(Self.style.utf8))).base64EncodedString()
        contentSecurityPolicy =
            "default-src 'none'; style-src 'sha256-\(hash)'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        var page = DocsWriter(document: document)
        page.render(events: events)
        html = page.output
    }

    static let style = """
        body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 24px 64px;color:#1d1d1f}
        h1{margin-top:32px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:48px}
        h3{margin:28px 0 6px;font-size:17px}code,pre{font:13px ui-monospace,monospace;background:#f4f4f6;border-radius:4px}
        code{padding:1px 4px}pre{padding:8px;overflow-x:auto}table{border-collapse:collapse;width:100%;margin:6px 0}
        th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}th{background:#f7f7f9}
        .m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:1px 6px;margin-right:6px}
        .get{background:#2b7bb9}.post{background:#3a9d5d}.put{background:#b7791f}.delete{background:#c0392b}
        .dep{background:#fff4e5;border-left:4px solid #e67e22;padding:6px 10px;margin:6px 0}.owner,.muted{color:#666;font-size:13px}
        nav ul{columns:3}s{color:#999}
        """
}

/// Writes the page from the parsed document.
private struct DocsWriter {
    let document: JSONValue
    var output = ""

    init(document: JSONValue) { self.document = document }

    mutating func render(events: [EventCatalogue.Entry]) {
        let info = document["info"]
        let title = info?["title"]?.stringValue ?? "API"
        line("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title>")
        line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>\(DocsPage.style)</style></head><body>")
        line("<h1>\(escape(title)) <span class=\"muted\">\(escape(info?["version"]?.stringValue ?? ""))</span></h1>")
        paragraphs(info?["description"]?.stringValue)
        line(
            "<p>The machine-readable document: <a href=\"/openapi.yaml\">/openapi.yaml</a> (OpenAPI \(escape(document["openapi"]?.stringValue ?? ""))).</p>"
        )
        let tags = (document["tags"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        line("<nav><ul>")
        for tag in tags { line("<li><a href=\"#tag-\(slug(tag))\">\(escape(tag))</a></li>") }
        for extra in ["authentication", "problems", "deprecations", "events", "schemas"] { line("<li><a href=\"#\(extra)\">\(extra)</a></li>") }
        line("</ul></nav>")
        renderSecurity()
        for tag in document["tags"]?.arrayValue ?? [] { renderTag(tag) }
        renderProblems()
        renderDeprecations()
        renderEvents(events)
        renderSchemas()
        line("</body></html>")
    }

    mutating func renderSecurity() {
        line("<h2 id=\"authentication\">Authentication</h2><table><tr><th>scheme</th><th>how</th></tr>")
        for (name, scheme) in sorted(document["components"]?["securitySchemes"]) {
            let how = [scheme["type"]?.stringValue, scheme["scheme"]?.stringValue, scheme["in"]?.stringValue, scheme["name"]?.stringValue]
                .compactMap { $0 }.joined(separator: " ")
            line("<tr><td><code>\(escape(name))</code></td><td>\(escape(how))<br>\(escape(scheme["description"]?.stringValue ?? ""))</td></tr>")
        }
        line("</table>")
    }

    mutating func renderTag(_ tag: JSONValue) {
        guard let name = tag["name"]?.stringValue else { return }
        line("<h2 id=\"tag-\(slug(name))\">\(escape(name))</h2>")
        if let owner = tag["x-owner"]?.stringValue { line("<p class=\"owner\">Owner: \(escape(owner))</p>") }
        paragraphs(tag["description"]?.stringValue)
        for (path, item) in sorted(document["paths"]) {
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let operation = item[method], (operation["tags"]?.arrayValue ?? []).contains(.string(name)) else { continue }
                renderOperation(method: method, path: path, operation, pathParameters: item["parameters"]?.arrayValue ?? [])
            }
        }
    }

    mutating func renderOperation(method: String, path: String, _ operation: JSONValue, pathParameters: [JSONValue]) {
        let deprecated = operation["deprecated"] == .bool(true)
        line("<h3 id=\"\(method)-\(slug(path))\"><span class=\"m \(method)\">\(method.uppercased())</span>")
        line(deprecated ? "<s><code>\(escape(path))</code></s>" : "<code>\(escape(path))</code>")
        line(" \(escape(operation["summary"]?.stringValue ?? ""))</h3>")
        var facts = ["owner: \(operation["x-owner"]?.stringValue ?? "?")"]
        if let security = operation["security"]?.arrayValue {
            facts.append(security.isEmpty ? "no key" : "key scopes: " + scopes(operation))
        } else {
            facts.append("key scopes: " + scopes(operation))
        }
        line("<p class=\"owner\">\(escape(facts.joined(separator: " · ")))</p>")
        if deprecated { line("<div class=\"dep\">Deprecated; sunset \(escape(operation["x-sunset"]?.stringValue ?? "to be announced")).</div>") }
        paragraphs(operation["description"]?.stringValue)
        let parameters = (pathParameters + (operation["parameters"]?.arrayValue ?? [])).map { resolve($0) }
        if !parameters.isEmpty {
            line("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>")
            for parameter in parameters {
                let name = escape(parameter["name"]?.stringValue ?? "")
                let required = parameter["required"] == .bool(true) ? " <b>required</b>" : ""
                let note =
                    parameter["deprecated"] == .bool(true)
                    ? "<div class=\"dep\">Deprecated; sunset \(escape(parameter["x-sunset"]?.stringValue ?? "to be announced")).</div>" : ""
                line(
                    "<tr><td><code>\(name)</code>\(required)</td><td>\(escape(parameter["in"]?.stringValue ?? ""))</td><td>\(typeText(parameter["schema"]))</td><td>\(escape(parameter["description"]?.stringValue ?? ""))\(note)</td></tr>"
                )
            }
            line("</table>")
        }
        if let body = operation["requestBody"].map({ resolve($0) }) {
            line(
                "<p><b>Request body</b>\(body["required"] == .bool(true) ? " (required)" : ""): \(escape(body["description"]?.stringValue ?? ""))</p><ul>"
            )
            for (type, media) in sorted(body["content"]) { line("<li><code>\(escape(type))</code>: \(typeText(media["schema"]))</li>") }
            line("</ul>")
        }
        line("<table><tr><th>status</th><th>response</th></tr>")
        for (status, response) in sorted(operation["responses"]) {
            let response = resolve(response)
            let contents = sorted(response["content"]).map { "<code>\(escape($0.0))</code> \(typeText($0.1["schema"]))" }.joined(separator: "<br>")
            line("<tr><td>\(escape(status))</td><td>\(escape(response["description"]?.stringValue ?? ""))<br>\(contents)</td></tr>")
        }
        line("</table>")
    }

    mutating func renderProblems() {
        line("<h2 id=\"problems\">Problem types</h2>")
        line("<p>Errors are RFC 9457 <code>application/problem+json</code> documents; <code>type</code> ends with the code.</p>")
        line("<table><tr><th>code</th><th>status</th><th>meaning</th></tr>")
        for (code, problem) in sorted(document["x-problem-types"]) {
            let status = problem["status"].flatMap { value -> String? in
                if case .number(let number) = value { return String(Int(number)) }
                return value.stringValue
            }
            line(
                "<tr><td><code>\(escape(code))</code></td><td>\(escape(status ?? ""))</td><td>\(escape(problem["title"]?.stringValue ?? "")): \(escape(problem["description"]?.stringValue ?? ""))</td></tr>"
            )
        }
        line("</table>")
    }

    mutating func renderDeprecations() {
        line("<h2 id=\"deprecations\">Deprecations</h2>")
        paragraphs(document["x-deprecation-policy"]?.stringValue)
        line("<table><tr><th>what</th><th>sunset</th><th>instead</th></tr>")
        for (path, item) in sorted(document["paths"]) {
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let operation = item[method] else { continue }
                let target = "\(method.uppercased()) \(path)"
                if operation["deprecated"] == .bool(true) {
                    deprecationRow(target, operation)
                }
                for parameter in (operation["parameters"]?.arrayValue ?? []).map({ resolve($0) }) where parameter["deprecated"] == .bool(true) {
                    deprecationRow("\(target)?\(parameter["name"]?.stringValue ?? "")", parameter)
                }
            }
        }
        line("</table>")
    }

    mutating func deprecationRow(_ target: String, _ element: JSONValue) {
        line(
            "<tr><td><code>\(escape(target))</code></td><td>\(escape(element["x-sunset"]?.stringValue ?? ""))</td><td>\(escape(element["x-replacement"]?.stringValue ?? ""))</td></tr>"
        )
    }

    mutating func renderEvents(_ events: [EventCatalogue.Entry]) {
        line(
            "<h2 id=\"events\">Event types</h2><p>Every CloudEvent names its schema in <code>dataschema</code>; see docs/events.md for the versioning policy.</p>"
        )
        line("<table><tr><th>type</th><th>subject</th><th>emitted when</th></tr>")
        for entry in events {
            let name = entry.deprecated ? "<s>\(escape(entry.type))</s>" : escape(entry.type)
            line(
                "<tr><td><a href=\"/v1/event-types/\(escape(entry.type))\"><code>\(name)</code></a></td><td>\(escape(entry.subject))</td><td>\(escape(entry.description))</td></tr>"
            )
        }
        line("</table>")
    }

    mutating func renderSchemas() {
        line("<h2 id=\"schemas\">Schemas</h2>")
        for (name, schema) in sorted(document["components"]?["schemas"]) {
            line("<h3 id=\"schema-\(slug(name))\">\(escape(name))</h3>")
            paragraphs(schema["description"]?.stringValue)
            let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let properties = sorted(schema["properties"])
            if properties.isEmpty {
                line("<p>\(typeText(schema))</p>")
                continue
            }
            line("<table><tr><th>member</th><th>type</th><th>description</th></tr>")
            for (property, value) in properties {
                let flag = required.contains(property) ? " <b>required</b>" : ""
                let name =
                    value["deprecated"] == .bool(true) ? "<s><code>\(escape(property))</code></s> (deprecated)" : "<code>\(escape(property))</code>"
                line("<tr><td>\(name)\(flag)</td><td>\(typeText(value))</td><td>\(escape(value["description"]?.stringValue ?? ""))</td></tr>")
            }
            line("</table>")
        }
    }

    // MARK: helpers

    mutating func line(_ text: String) { output += text + "\n" }

    mutating func paragraphs(_ text: String?) {
        guard let text else { return }
        for paragraph in text.components(separatedBy: "\n\n") where !paragraph.isEmpty {
            line("<p>\(inlineCode(escape(paragraph)))</p>")
        }
    }

    func scopes(_ operation: JSONValue) -> String {
        let names = (operation["x-scopes"]?.arrayValue ?? []).compactMap(\.stringValue)
        return names.isEmpty ? "any key" : names.joined(separator: " or ")
    }

    /// Follows a local `$ref` (`#/components/...`).
    func resolve(_ value: JSONValue) -> JSONValue {
        guard case .string(let ref)? = value["$ref"], ref.hasPrefix("#/") else { return value }
        var node: JSONValue? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node ?? value
    }

    /// A short description of a schema's type, linking named schemas.
    func typeText(_ schema: JSONValue?) -> String {
        guard let schema else { return "" }
        if case .string(let ref)? = schema["$ref"] {
            let name = String(ref.split(separator: "/").last ?? "")
            return "<a href=\"#schema-\(slug(name))\">\(escape(name))</a>"
        }
        for combinator in ["oneOf", "anyOf", "allOf"] {
            if let options = schema[combinator]?.arrayValue { return options.map { typeText($0) }.joined(separator: " | ") }
        }
        var text: String
        switch schema["type"] {
        case .string(let type)?: text = type
        case .array(let types)?: text = types.compactMap(\.stringValue).joined(separator: " | ")
        default: text = "any"
        }
        if text.hasPrefix("array") { text = "array of " + typeText(schema["items"]) }
        if let format = schema["format"]?.stringValue { text += " (\(escape(format)))" }
        if let values = schema["enum"]?.arrayValue { text += ": " + values.compactMap(\.stringValue).map(escape).joined(separator: ", ") }
        return text
    }

    func sorted(_ value: JSONValue?) -> [(String, JSONValue)] {
        guard case .object(let members)? = value else { return [] }
        return members.sorted { $0.key < $1.key }
    }

    func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Turns `` `code` `` spans of escaped text into `<code>` elements.
    func inlineCode(_ text: String) -> String {
        let parts = text.components(separatedBy: "`")
        guard parts.count > 2 else { return text }
        return parts.enumerated().map { $0.offset % 2 == 1 && $0.offset < parts.count - 1 ? "<code>\($0.element)</code>" : $0.element }
            .joined()
    }
}

extension JSONValue {
    /// The elements, if this is an array.
    fileprivate var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
