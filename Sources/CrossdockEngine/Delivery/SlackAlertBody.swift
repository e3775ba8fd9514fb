import CrossdockDomain
import Foundation

/// The Slack-compatible incoming-webhook body of an alert event (`text` for notifications, `blocks` for the message),
/// for alert routes with `format: slack`. Mattermost, Rocket.Chat, Google Chat and Teams' Slack-compatible endpoints
/// read the same `text`.
enum SlackAlertBody {
    /// The most exceptions listed in the message; the counts name the rest.
    static let lines = 10

    /// The body for the CloudEvent `event`, or nil when it is not an alert.
    static func render(event: [UInt8]) -> [UInt8]? {
        struct Envelope: Decodable { var data: AlertData }
        guard let alert = try? JSONCoding.decoder().decode(Envelope.self, from: Data(event)).data else { return nil }
        var list = alert.exceptions.prefix(lines).map { item in
            var line = "• `\(item.id)` \(item.status == .resolved ? "resolved" : item.new ? "new" : "open")"
            if !item.orderId.isEmpty { line += " order `\(item.orderId)`" }
            if let partner = item.partner { line += " \(partner)" }
            line += ": \(item.detail)"
            if let resolution = item.resolution { line += " (\(resolution.rawValue)\(item.note.map { ": \($0)" } ?? ""))" }
            if let assignee = item.assignee { line += " [\(assignee)]" }
            return line
        }
        let named = alert.exceptions.count
        let total = alert.openCount + alert.resolvedCount
        if total > min(named, lines) { list.append("…and \(total - min(named, lines)) more") }
        let body: [String: Any] = [
            "text": alert.title,
            "blocks": [
                ["type": "header", "text": ["type": "plain_text", "text": String(alert.title.prefix(150))]],
                ["type": "section", "text": ["type": "mrkdwn", "text": list.joined(separator: "\n")]],
                [
                    "type": "context",
                    "elements": [["type": "mrkdwn", "text": "crossdock · route `\(alert.route)` · \(alert.kind.rawValue) · \(alert.reason)"]],
                ],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])).map { Array($0) }
    }
}
