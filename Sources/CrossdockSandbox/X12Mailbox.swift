import CrossdockDomain
import CrossdockEDI
import Foundation
import Logging

/// What a sandbox X12 trading partner has sent and received.
public struct X12Counters: Sendable {
    /// Transaction sets sent, by ST01.
    public var sent: [String: Int] = [:]
    /// Transaction sets received, by ST01.
    public var received: [String: Int] = [:]
    /// Interchanges received that were not addressed to the partner.
    public var misaddressed = 0
    /// Posts the hub refused or that never got through.
    public var postFailures = 0

    /// Counts an interchange from the hub: its sets by ST01, and whether it was misaddressed.
    mutating func count(_ interchange: X12Mailbox.Received) {
        if !interchange.addressedToUs { misaddressed += 1 }
        for set in interchange.reading.groups.flatMap(\.sets) { received[set.set.id, default: 0] += 1 }
    }

    /// Counts the 997s answering `interchange` (one per group) when `posted`, a failed post otherwise.
    mutating func countAcknowledgment(of interchange: X12Mailbox.Received, posted: Bool) {
        if posted { sent["997", default: 0] += interchange.reading.groups.count } else { postFailures += 1 }
    }
}

/// The X12 desk a sandbox trading partner keeps: it writes the partner's interchanges to the hub with the partner's
/// own control numbers, posts them to `POST /v1/inbound/edi` and reads the 997 the hub answers, and reads the
/// interchanges the hub sends, writing the 997 for each of their groups.
///
/// The partner sees the hub as a trading partner of its own: the profile the hub keeps for the partner, mirrored
/// (our ids are the hub's "partner" ids and the other way round).
struct X12Mailbox: Sendable {
    /// What the hub answered to one interchange.
    struct Answer: Sendable {
        /// The HTTP status; 0 when the post never got through.
        var status: Int
        /// The hub's 997s, one per group sent.
        var acknowledgments: [FunctionalAcknowledgment]
        /// The answer's body, for a refusal.
        var text: String
        /// With a JSON receipt: per set, what the hub did with it (`accepted` or `rejected`, and why).
        var outcomes: [(status: String, detail: String?)] = []
    }

    /// One interchange received from the hub.
    struct Received: Sendable {
        /// The reading: envelope, groups, sets and their documents.
        var reading: InboundReading
        /// Whether ISA07/ISA08 name this partner and ISA05/ISA06 the hub.
        var addressedToUs: Bool
        /// The documents of the accepted sets.
        var documents: [X12Document] { reading.acceptedDocuments }
    }

    /// The hub as the partner's trading partner.
    let hubProfile: TradingPartner
    let numbers: InMemoryControlNumberSource
    let hub: HubClient
    let logger: Logger

    /// Creates the desk of `partner` (the profile the hub keeps for it) posting through `hub` (a key bound to the
    /// partner); control numbers start at `firstControlNumber`.
    init(partner: TradingPartner, hub: HubClient, firstControlNumber: Int, logger: Logger) {
        hubProfile = TradingPartner(
            id: "crossdock",
            name: "Crossdock hub",
            isaQualifier: partner.ourISAQualifier,
            isaID: partner.ourISAID,
            gsCode: partner.ourGSCode,
            ourISAQualifier: partner.isaQualifier,
            ourISAID: partner.isaID,
            ourGSCode: partner.gsCode,
            version: partner.version
        )
        numbers = InMemoryControlNumberSource(first: firstControlNumber)
        self.hub = hub
        self.logger = logger
    }

    /// Writes one interchange holding one group of `sets` (all of one kind), numbered from the partner's sequences.
    func write(_ sets: [X12TransactionSet], functionalID: String, at date: Date = Date()) async throws -> (interchange: X12Interchange, text: String)
    {
        let interchange = hubProfile.interchange(functionalID: functionalID, sets: sets, at: date)
        return try await hubProfile.serializer.serialize(interchange, assigningControlNumbersFrom: numbers)
    }

    /// Posts `text` to `POST /v1/inbound/edi`, retrying transport errors and 5xx (the hub answers a copy of an
    /// interchange it already has with the same 997), and reads the 997 it answers: the raw X12 answer, or with
    /// `receipt` the JSON receipt, which also says what the hub did with each set.
    func post(_ text: String, receipt: Bool = false) async -> Answer {
        let answer = await hub.retrying(logger: logger) {
            try await hub.post(
                "/v1/inbound/edi",
                body: Array(text.utf8),
                contentType: "application/edi-x12",
                headers: receipt ? [("accept", "application/json")] : []
            )
        }
        guard let answer else { return Answer(status: 0, acknowledgments: [], text: "") }
        guard answer.status == 200 else { return Answer(status: answer.status, acknowledgments: [], text: answer.text) }
        var x12 = answer.text
        var outcomes: [(status: String, detail: String?)] = []
        if receipt {
            let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
            x12 = object?["acknowledgment"] as? String ?? ""
            for document in object?["documents"] as? [[String: Any]] ?? [] {
                outcomes.append((document["status"] as? String ?? "", document["detail"] as? String))
            }
        }
        let acknowledgments = Self.read(x12).acceptedDocuments.compactMap { document -> FunctionalAcknowledgment? in
            if case .functionalAcknowledgment(let acknowledgment) = document { return acknowledgment }
            return nil
        }
        return Answer(status: answer.status, acknowledgments: acknowledgments, text: answer.text, outcomes: outcomes)
    }

    /// Reads an interchange from the hub.
    func receive(_ text: String) -> Received {
        let reading = Self.read(text)
        let header = reading.interchange?.header
        let addressed =
            header.map {
                $0.receiverQualifier == hubProfile.ourISAQualifier && $0.receiverID == hubProfile.ourISAID
                    && $0.senderQualifier == hubProfile.isaQualifier && $0.senderID == hubProfile.isaID
            } ?? false
        return Received(reading: reading, addressedToUs: addressed)
    }

    /// Writes the 997 interchange answering every group of `received` and posts it; true when the hub took it.
    func acknowledge(_ received: Received) async -> Bool {
        let sets = received.reading.acknowledgment(delimiters: (try? hubProfile.delimiters) ?? .standard)
        guard !sets.isEmpty, let (_, text) = try? await write(sets, functionalID: "FA") else { return false }
        let answer = await post(text)
        if answer.status != 200 {
            logger.warning("997 refused", metadata: [LogKey.sandboxStatus: "\(answer.status)", LogKey.sandboxBody: "\(answer.text.prefix(300))"])
        }
        return answer.status == 200
    }

    /// Reads `text` with the standard decoders (850, 855, 856, 810, 940, 945, 997).
    static func read(_ text: String) -> InboundReading { InboundInterchange.read(text) }
}
