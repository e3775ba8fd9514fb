import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation
import Logging
import Tracing

/// Raw X12 from trading partners (`POST /v1/inbound/edi`): reads the interchange, acts on each accepted set (an 850
/// becomes an order answered by an 855, a 945 ships a fulfilment order, a 997 acknowledges our documents) and
/// answers with the 997 for every functional group.
///
/// - The sender (ISA05/ISA06) must be a registered X12 partner and the receiver (ISA07/ISA08) the hub's id for it;
///   an API key bound to a partner may only send that partner's interchanges.
/// - Sets the profile does not list in `inbound` are rejected in the 997 (AK5 `R`, AK502 `1`).
/// - An interchange received before (same partner and ISA13) is answered with the same 997 and changes nothing.
/// - Business refusals (unknown item, customer on hold...) are not 997 errors: the set is accepted and the 855 says
///   `RD` with each line's reason.
/// - A set is acted on only when its group and interchange are sound, so a rejected set changes nothing.
/// - A broken envelope (ISA13 ≠ IEA02, a wrong IEA01, a bad ISA field) is answered by a TA1 `R` instead of 997s; a
///   sender that asks for one (ISA14 `1`) gets a TA1 `A` in front of its 997s.
public struct EDIInbound: Sendable {
    let store: any Store
    let orders: OrderService
    let directory: PartnerDirectory
    let issuer: EDIIssuer
    let source: StoreControlNumberSource
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates the service.
    /// - Parameters:
    ///   - store: where state lives.
    ///   - orders: intake and warehouse feedback.
    ///   - controlNumbers: the hub's control-number source (shared with the outbound follower); a new one by default.
    ///   - logger: where to log.
    ///   - now: the clock.
    public init(
        store: any Store,
        orders: OrderService,
        controlNumbers: StoreControlNumberSource? = nil,
        logger: Logger = Logger(label: "crossdock.edi"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.orders = orders
        self.directory = PartnerDirectory(store: store)
        self.source = controlNumbers ?? StoreControlNumberSource(store: store)
        self.issuer = EDIIssuer(source: source)
        self.logger = logger
        self.now = now
    }

    /// Reads, acts on and acknowledges one interchange.
    /// - Parameters:
    ///   - bytes: the raw body.
    ///   - callerPartner: the partner the caller's API key is bound to, if any.
    /// - Throws: ``Refusal``, or what the store throws.
    public func receive(_ bytes: [UInt8], callerPartner: String?) async throws -> Receipt {
        try await withSpan("x12.receive") { span in
            span.attributes["crossdock.bytes"] = bytes.count
            if let callerPartner { span.attributes["crossdock.partner"] = callerPartner }
            return try await receiveUntraced(bytes, callerPartner: callerPartner)
        }
    }

    private func receiveUntraced(_ bytes: [UInt8], callerPartner: String?) async throws -> Receipt {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Refusal(code: "invalid_encoding", message: "X12 text must be ASCII (or UTF-8)", errors: [])
        }
        var reading = InboundInterchange.read(text)
        guard let header = reading.interchange?.header else {
            throw Refusal(code: "invalid_interchange", message: "the interchange header cannot be read", errors: reading.interchangeErrors)
        }
        let partner = try await identify(header, callerPartner: callerPartner)
        if let earlier = try await earlierReceipt(partner: partner, controlNumber: header.controlNumber) { return earlier }
        if reading.groups.contains(where: { $0.sets.contains { !partner.inbound.contains($0.set.id) } }) {
            var decoders = X12DocumentDecoders.standard
            decoders.decoders = decoders.decoders.filter { partner.inbound.contains($0.key) }
            reading = InboundInterchange.read(text, decoders: decoders)
        }
        let interchangeID = IDs.make()
        var outcomes: [DocumentOutcome] = []
        var acknowledgments: [EDIIssuer.Document] = []
        for group in reading.groups {
            for set in group.sets {
                guard set.isAccepted, reading.isProcessable, group.acknowledgment.status.isAccepted, let document = set.document else {
                    outcomes.append(
                        .init(
                            transactionSet: set.set.id,
                            controlNumber: set.set.controlNumber,
                            status: "rejected",
                            reference: "",
                            detail: Self.detail(set)
                        )
                    )
                    continue
                }
                let outcome = try await act(on: document, set: set.set, partner: partner)
                outcomes.append(outcome.outcome)
                acknowledgments += outcome.acknowledgments
            }
        }
        let ackText = try await reply(to: reading, for: partner)
        if !acknowledgments.isEmpty { try await issue(acknowledgments, to: partner, causation: interchangeID) }
        let recorded = try await store.recordInbound(
            EDIInterchangeRecord(
                id: interchangeID,
                partnerID: partner.id,
                direction: .inbound,
                controlNumber: header.controlNumber,
                createdAt: now(),
                text: text,
                reply: ackText
            ),
            documents: records(outcomes, reading: reading, interchangeID: interchangeID, partner: partner)
        )
        // Another request recorded the same interchange first: answer what it answered.
        if !recorded, let earlier = try await earlierReceipt(partner: partner, controlNumber: header.controlNumber) { return earlier }
        return Receipt(
            interchangeID: interchangeID,
            partner: partner.id,
            controlNumber: header.controlNumber,
            replayed: false,
            documents: outcomes,
            acknowledgment: ackText
        )
    }

    /// The answer recorded for interchange `controlNumber` of `partner`, if it was received before.
    func earlierReceipt(partner: TradingPartner, controlNumber: Int) async throws -> Receipt? {
        guard let earlier = try await store.inboundInterchange(partnerID: partner.id, controlNumber: controlNumber), let reply = earlier.reply else {
            return nil
        }
        return Receipt(
            interchangeID: earlier.id,
            partner: partner.id,
            controlNumber: controlNumber,
            replayed: true,
            documents: [],
            acknowledgment: reply
        )
    }

    /// The partner that sent `header`, checked against the caller's key and the receiver id.
    func identify(_ header: X12InterchangeHeader, callerPartner: String?) async throws -> TradingPartner {
        guard let partner = try await directory.tradingPartner(isaQualifier: header.senderQualifier, isaID: header.senderID) else {
            throw Refusal(
                code: "unknown_partner",
                message: "no trading partner is registered as \(header.senderQualifier)/\(header.senderID) (ISA05/ISA06)",
                errors: []
            )
        }
        if let callerPartner, callerPartner != partner.id {
            throw Refusal(
                code: "forbidden_partner",
                message: "the API key belongs to partner \(callerPartner), the interchange to \(partner.id)",
                errors: []
            )
        }
        guard header.receiverQualifier == partner.ourISAQualifier, header.receiverID == partner.ourISAID else {
            throw Refusal(
                code: "wrong_receiver",
                message:
                    "ISA07/ISA08 \(header.receiverQualifier)/\(header.receiverID) is not the hub's id for \(partner.id) (\(partner.ourISAQualifier)/\(partner.ourISAID))",
                errors: []
            )
        }
        return partner
    }

    /// The reply, numbered from the partner's sequences: a 997 for every group, with a TA1 `A` in front when the
    /// sender asked for one (ISA14 `1`); or, when the envelope itself is broken, a TA1 `R` alone whose note says why.
    func reply(to reading: InboundReading, for partner: TradingPartner) async throws -> String {
        var interchange: X12Interchange
        if let header = reading.interchange?.header, !reading.isProcessable {
            interchange = partner.interchange(functionalID: "FA", sets: [], at: now())
            interchange.groups = []
            interchange.acknowledgments = [InterchangeAcknowledgment(of: header, errors: reading.interchangeErrors).segment]
        } else {
            interchange = partner.interchange(functionalID: "FA", sets: reading.acknowledgment(delimiters: try partner.delimiters), at: now())
            if let header = reading.interchange?.header, header.acknowledgmentRequested {
                interchange.acknowledgments = [InterchangeAcknowledgment(of: header, errors: []).segment]
            }
        }
        return try await partner.serializer.serialize(interchange, assigningControlNumbersFrom: source).text
    }

    /// Issues outbound documents (855s), each in its own interchange with its event, so each order's documents keep
    /// their order on the partner's subscription and one already issued (a PO sent again) does not hold back others.
    func issue(_ documents: [EDIIssuer.Document], to partner: TradingPartner, causation: String) async throws {
        var units: [UnitOfWork] = []
        for document in documents {
            let issued: EDIIssuer.Issued
            do {
                issued = try await issuer.issue(
                    [document],
                    to: partner,
                    now: now(),
                    correlationID: document.orderID ?? causation,
                    causationID: causation,
                    makeID: IDs.make
                )
            } catch let error as X12Error {
                // A value echoed from the PO that the partner's delimiters cannot carry: the 997 still answers the
                // interchange; the 855 is left out and logged rather than failing the whole reply.
                logger.error(
                    "855 not written",
                    metadata: [LogKey.partner: "\(partner.id)", LogKey.error: "\(error)", LogKey.reference: "\(document.reference)"]
                )
                continue
            }
            var unit = UnitOfWork()
            unit.ediOutbound = [issued.write]
            unit.events = [issued.event]
            units.append(unit)
        }
        guard !units.isEmpty else { return }
        // All in one commit; if one of them was issued before, each on its own so the others still go.
        var all = UnitOfWork()
        all.ediOutbound = units.flatMap(\.ediOutbound)
        all.events = units.flatMap(\.events)
        guard case .conflict = try await store.commit(all) else { return }
        for unit in units {
            if case .conflict(let conflict) = try await store.commit(unit) {
                logger.info("855 already issued", metadata: [LogKey.partner: "\(partner.id)", LogKey.error: "\(conflict)"])
            }
        }
    }

    /// The inbound document records of an interchange.
    func records(_ outcomes: [DocumentOutcome], reading: InboundReading, interchangeID: String, partner: TradingPartner) -> [EDIDocumentRecord] {
        var result: [EDIDocumentRecord] = []
        var index = 0
        for group in reading.groups {
            for _ in group.sets where index < outcomes.count {
                let outcome = outcomes[index]
                index += 1
                result.append(
                    EDIDocumentRecord(
                        id: IDs.make(),
                        interchangeID: interchangeID,
                        partnerID: partner.id,
                        direction: .inbound,
                        transactionSet: outcome.transactionSet,
                        groupControl: group.group.controlNumber,
                        setControl: outcome.controlNumber,
                        orderID: outcome.orderID,
                        reference: outcome.reference,
                        status: outcome.status,
                        detail: outcome.detail,
                        createdAt: now()
                    )
                )
            }
        }
        return result
    }

    /// Why a set was rejected, in one line.
    static func detail(_ set: InboundReading.SetReading) -> String {
        let messages = set.envelopeErrors.map(\.description) + set.errors.map(\.description)
        if messages.isEmpty { return "AK5 \(set.response.status.rawValue) \(set.response.codes.joined(separator: ","))" }
        return messages.prefix(5).joined(separator: "; ")
    }
}
