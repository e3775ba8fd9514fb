import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Follows the event log and writes the X12 documents partners receive: an 856 when an order from an X12 customer
/// ships, an 810 when it is invoiced, a 940 when a fulfilment order is released to a warehouse an X12 3PL operates.
///
/// Each document is committed with its `edi.document_issued` event and the follower's cursor in one unit, so a
/// crash or restart neither loses nor repeats one (a document is also unique per partner, set and reference).
/// Control numbers and SSCC serials come from durable sequences; a number taken by a unit that then fails is
/// skipped, never reused.
public final class EDIOutbound: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// The GS1 company prefix SSCCs are built from (7–10 digits); the GS1 example prefix by default.
        public var companyPrefix: String
        /// Events looked at per step (only those a document may be written for are read in full).
        public var batch: Int
        /// The longest wait for new events.
        public var idleWait: Duration
        /// The pause after a step that found events, so that a burst of commits is read in one scan.
        public var settle: Duration
        /// How often the cursor is committed alone when the follower only passed events over (a unit that acts on
        /// an event always carries it): the most a restart reads again.
        public var cursorInterval: Duration
        /// The distributor's remit-to address on 810 invoices.
        public var remitTo: Address

        /// Creates a configuration.
        public init(
            companyPrefix: String = "0614141",
            batch: Int = 1000,
            idleWait: Duration = .seconds(1),
            settle: Duration = .milliseconds(100),
            cursorInterval: Duration = .seconds(1),
            remitTo: Address = Address(
                name: "Crossdock Distribution",
                lines: ["1 Hub Way"],
                city: "Newark",
                region: "US-NJ",
                postalCode: "07105",
                country: "US"
            )
        ) {
            self.remitTo = remitTo
            self.companyPrefix = companyPrefix
            self.batch = batch
            self.idleWait = idleWait
            self.cursorInterval = cursorInterval
            self.settle = settle
        }
    }

    /// The cursor's name.
    static let cursorName = "edi-outbound"
    /// The events a document may be written for.
    static let eventTypes: [EventType] = [.shipmentShipped, .invoicePosted, .fulfillmentReleased]

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let issuer: EDIIssuer
    let directory: PartnerDirectory
    let follower: LogFollower
    private let failures = Counter(label: "crossdock_edi_outbound_failures_total")

    /// Creates the follower.
    /// - Parameters:
    ///   - store: events, documents and sequences.
    ///   - configuration: tunables.
    ///   - controlNumbers: the hub's control-number source (shared with the inbound side); a new one by default.
    ///   - logger: where to log.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        controlNumbers: StoreControlNumberSource? = nil,
        logger: Logger = Logger(label: "crossdock.edi")
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.issuer = EDIIssuer(source: controlNumbers ?? StoreControlNumberSource(store: store))
        self.directory = PartnerDirectory(store: store)
        self.follower = LogFollower(
            name: Self.cursorName,
            store: store,
            types: Self.eventTypes,
            limit: configuration.batch,
            flushInterval: configuration.cursorInterval
        )
    }

    public func run() async throws {
        await follower.run(idleWait: configuration.idleWait, settle: configuration.settle, logger: logger, what: "EDI outbound") {
            try await self.step()
        }
    }

    /// Reads one batch of events after the follower's position and writes their documents; returns how many events
    /// it looked at (0 when caught up).
    @discardableResult
    public func step() async throws -> Int {
        var partners: [TradingPartner] = []
        let batch = try await follower.next {
            partners = try await self.directory.tradingPartners()
            return !partners.isEmpty
        }
        var cursor = batch.persisted
        for event in batch.events {
            guard let sequence = Int64(event.sequence) else { continue }
            var unit = UnitOfWork()
            do {
                for (partner, documents) in try await documents(for: event, partners: partners) {
                    let issued = try await issuer.issue(
                        documents,
                        to: partner,
                        now: Date(),
                        correlationID: event.correlationid,
                        causationID: event.id,
                        makeID: IDs.make
                    )
                    unit.ediOutbound.append(issued.write)
                    unit.events.append(issued.event)
                }
            } catch let error where Self.isPermanent(error) {
                // The document cannot be written from what the hub holds (a value too long for its element, a
                // shipment line the order lacks): waiting will not change that, so the event is passed over and
                // counted. Anything else (the store, cancellation) is thrown and the event is read again.
                failures.increment()
                logger.error(
                    "no EDI document for an event",
                    metadata: [LogKey.event: "\(event.id)", LogKey.error: "\(error)", LogKey.eventType: "\(event.type)"]
                )
                unit = UnitOfWork()
            }
            guard !unit.ediOutbound.isEmpty else { continue }
            unit.cursor = CursorAdvance(name: Self.cursorName, from: cursor, to: sequence)
            switch try await store.commit(unit) {
            case .committed:
                follower.committed(through: sequence)
            case .conflict(.duplicateDocument):
                // Issued before (the cursor was rewound, or a unit's reply was lost): move past it.
                guard try await follower.advance(from: cursor, to: sequence) else { return batch.scanned }
            case .conflict(let conflict):
                logger.debug("EDI outbound cursor moved; rereading", metadata: [LogKey.error: "\(conflict)"])
                follower.reset()
                return batch.scanned
            }
            cursor = sequence
        }
        try await follower.finished(batch)
        return batch.scanned
    }
}
