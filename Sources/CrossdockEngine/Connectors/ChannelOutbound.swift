import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

/// Follows the event log and publishes `channel.order_updated` for every change a sales channel should hear about
/// (accepted, held, rejected, backordered with its promise date, status moves, shipments with carrier and tracking,
/// deliveries, cancellations, returns and credits) of an order that came from a Shopify shop or a Salesforce org.
///
/// Each update is built from the order as it stands, in the channel's own ids (``ChannelOrderUpdate``), and is
/// committed with the follower's cursor in one unit, so a crash or restart neither loses nor repeats one; updates of
/// one order are appended in the order of the changes. The subscriptions of the channels (filtered on `partner`,
/// rendered by the `shopify-order-sync` and `salesforce-order-sync` mappings) deliver them with retries, per-order
/// ordering, dead letters and replay.
public final class ChannelOutbound: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Events looked at per step (only those a channel hears about are read in full).
        public var batch: Int
        /// The longest wait for new events.
        public var idleWait: Duration
        /// The pause after a step that found events, so that a burst of commits is read in one scan.
        public var settle: Duration
        /// How often the cursor is committed alone when the follower only passed events over (a unit that acts on
        /// an event always carries it): the most a restart reads again.
        public var cursorInterval: Duration

        /// Creates a configuration.
        public init(
            batch: Int = 1000,
            idleWait: Duration = .seconds(1),
            settle: Duration = .milliseconds(100),
            cursorInterval: Duration = .seconds(1)
        ) {
            self.batch = batch
            self.settle = settle
            self.idleWait = idleWait
            self.cursorInterval = cursorInterval
        }
    }

    /// The cursor's name (`connectorCursor`): the follower has published every update up to it.
    public static let cursorName = "channel-outbound"
    /// The partner kinds whose orders get updates.
    static let kinds: Set<String> = [PartnerDirectory.Kind.shopify.rawValue, PartnerDirectory.Kind.salesforce.rawValue]
    /// The channels their connectors book orders under.
    static let channels: Set<String> = ["shopify", "salesforce"]

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let follower: LogFollower

    /// Creates the follower.
    /// - Parameters:
    ///   - store: events, orders and the cursor.
    ///   - configuration: tunables.
    ///   - logger: where to log.
    public init(store: any Store, configuration: Configuration = .init(), logger: Logger = Logger(label: "crossdock.channels")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.follower = LogFollower(
            name: Self.cursorName,
            store: store,
            types: ChannelOrderUpdate.Trigger.eventTypes,
            limit: configuration.batch,
            flushInterval: configuration.cursorInterval
        )
    }

    public func run() async throws {
        await follower.run(idleWait: configuration.idleWait, settle: configuration.settle, logger: logger, what: "channel outbound") {
            try await self.step()
        }
    }

    /// Reads one batch of events after the follower's position and publishes their updates; returns how many events
    /// it looked at (0 when caught up).
    @discardableResult
    public func step() async throws -> Int {
        let batch = try await follower.next {
            for kind in Self.kinds where try await !self.store.partners(kind: kind).isEmpty { return true }
            return false
        }
        var partnerKinds: [String: String?] = [:]
        var cursor = batch.persisted
        for event in batch.events {
            guard let sequence = Int64(event.sequence), let update = try await update(for: event, partnerKinds: &partnerKinds) else { continue }
            var unit = UnitOfWork()
            unit.events = [
                EventDraft(
                    id: IDs.make(),
                    type: .channelOrderUpdated,
                    subject: update.orderId,
                    time: Date(),
                    correlationID: update.orderId,
                    causationID: event.id,
                    payload: update
                )
            ]
            unit.cursor = CursorAdvance(name: Self.cursorName, from: cursor, to: sequence)
            switch try await store.commit(unit) {
            case .committed:
                follower.committed(through: sequence)
                cursor = sequence
            case .conflict(let conflict):
                logger.debug("channel outbound cursor moved; rereading", metadata: [LogKey.error: "\(conflict)"])
                follower.reset()
                return batch.scanned
            }
        }
        try await follower.finished(batch)
        return batch.scanned
    }

    /// The update `event` calls for, if it is about an order from a Shopify or Salesforce partner.
    func update(for event: CloudEvent, partnerKinds: inout [String: String?]) async throws -> ChannelOrderUpdate? {
        // Order events name their channel: API and X12 orders need no read (X12 partners get their own documents).
        if case .string(let channel)? = event.data["channel"], !Self.channels.contains(channel) { return nil }
        guard let trigger = ChannelOrderUpdate.Trigger(type: event.shortType, subject: event.subject, data: try JSONCoding.encode(event.data)),
            let order = try await store.order(event.correlationid), let reference = order.channelRef
        else { return nil }
        if partnerKinds[reference.partner] == nil { partnerKinds[reference.partner] = try await store.partner(reference.partner)?.kind }
        guard let kind = partnerKinds[reference.partner] ?? nil, Self.kinds.contains(kind) else { return nil }
        return ChannelOrderUpdate.make(
            order: order,
            shipments: try await store.shipments(orderID: order.id),
            creditMemos: try await store.creditMemos(orderID: order.id),
            trigger: trigger
        )
    }
}
