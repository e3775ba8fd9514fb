import CrossdockDomain
import Foundation
import Testing

/// Day `n` of the examples: day 1 is 2026-03-02.
private func atpDay(_ n: Int) -> BusinessDay {
    BusinessDay("2026-03-02")!.adding(days: n - 1)
}

@Suite("ATPSchedule")
struct ATPScheduleTests {
    /// DOMAIN.md §3.1: on hand 40, safety stock 10, receipts +50 on day 3 and +30 on day 8, committed demand
    /// 25 (days 1–2), 52 (days 3–7), 12 (day 8+).
    private static func workedExample() -> ATPSchedule {
        let balance = InventoryBalance(warehouseID: "W1", sku: "A", onHand: 40, safetyStock: 10)
        let createdAt = Date(timeIntervalSince1970: 0)
        let receipts = [
            ScheduledReceipt(id: "R1", warehouseID: "W1", sku: "A", quantity: 50, expectedDate: atpDay(3), createdAt: createdAt),
            ScheduledReceipt(id: "R2", warehouseID: "W1", sku: "A", quantity: 30, expectedDate: atpDay(8), createdAt: createdAt),
        ]
        let demands = [(atpDay(1), 10), (atpDay(2), 15), (atpDay(3), 20), (atpDay(7), 32), (atpDay(12), 12)]
        return ATPSchedule(ATPSchedule.Input(balance: balance, receipts: receipts, demands: demands), today: atpDay(1))
    }

    @Test func workedExampleFromTheDomainModel() {
        let schedule = Self.workedExample()
        #expect(schedule.periods.map(\.start) == [atpDay(1), atpDay(3), atpDay(8)])
        #expect(schedule.periods.map(\.supply) == [30, 50, 30])
        #expect(schedule.periods.map(\.demand) == [25, 52, 12])
        #expect(schedule.periods.map(\.atp) == [3, 0, 18])
        #expect(schedule.periods.map(\.cumulative) == [3, 3, 21])
        #expect(schedule.uncovered == 0)
        // An order for 10 wanted on day 2: 3 can be promised for day 2, all 10 on day 8.
        #expect(schedule.availableOn(atpDay(2)) == 3)
        #expect(schedule.promiseDate(for: 3, requested: atpDay(2)) == atpDay(2))
        #expect(schedule.promiseDate(for: 10, requested: atpDay(2)) == atpDay(8))
        #expect(schedule.promiseDate(for: 7, requested: atpDay(2)) == atpDay(8))
        #expect(schedule.promiseDate(for: 21, requested: atpDay(2)) == atpDay(8))
        #expect(schedule.promiseDate(for: 22, requested: atpDay(2)) == nil)
    }

    @Test func tupleInitialiserMatchesTheInputOne() {
        let schedule = ATPSchedule(
            availableNow: 30,
            supplies: [(atpDay(3), 50), (atpDay(8), 30)],
            demands: [(atpDay(1), 25), (atpDay(5), 52), (atpDay(8), 12)],
            today: atpDay(1)
        )
        #expect(schedule.periods == Self.workedExample().periods)
        #expect(schedule.horizonDays == 90)
        #expect(schedule.horizonEnd == atpDay(91))
    }

    @Test func availableOnFollowsThePeriods() {
        let schedule = Self.workedExample()
        #expect(schedule.availableOn(atpDay(0)) == 0)  // before today
        #expect(schedule.availableOn(atpDay(1)) == 3)
        #expect(schedule.availableOn(atpDay(7)) == 3)
        #expect(schedule.availableOn(atpDay(8)) == 21)
        #expect(schedule.availableOn(atpDay(400)) == 21)
        #expect(schedule.period(containing: atpDay(0)) == nil)
        #expect(schedule.period(containing: atpDay(5))?.start == atpDay(3))
    }

    @Test func promiseDateStartsAtTodayOrTheRequestedDay() {
        let schedule = Self.workedExample()
        #expect(schedule.promiseDate(for: 3, requested: nil) == atpDay(1))
        #expect(schedule.promiseDate(for: 3, requested: atpDay(-5)) == atpDay(1))  // in the past: today
        #expect(schedule.promiseDate(for: 10, requested: nil) == atpDay(8))
        #expect(schedule.promiseDate(for: 10, requested: atpDay(9)) == atpDay(9))  // inside a covering period: that day
        #expect(schedule.promiseDate(for: 10, requested: atpDay(200)) == atpDay(200))
        #expect(schedule.promiseDate(for: 0, requested: atpDay(4)) == atpDay(4))
        #expect(schedule.promiseDate(for: -1, requested: nil) == atpDay(1))
    }

    @Test func receiptsAfterTheHorizonAreIgnored() {
        let supplies = [(atpDay(11), 5), (atpDay(12), 7)]
        let schedule = ATPSchedule(availableNow: 1, supplies: supplies, demands: [], today: atpDay(1), horizonDays: 10)
        #expect(schedule.horizonEnd == atpDay(11))
        #expect(schedule.periods.map(\.start) == [atpDay(1), atpDay(11)])
        #expect(schedule.periods.map(\.cumulative) == [1, 6])
        #expect(schedule.promiseDate(for: 6, requested: nil) == atpDay(11))
        #expect(schedule.promiseDate(for: 7, requested: nil) == nil)

        let wider = ATPSchedule(availableNow: 1, supplies: supplies, demands: [], today: atpDay(1), horizonDays: 11)
        #expect(wider.promiseDate(for: 13, requested: nil) == atpDay(12))

        let none = ATPSchedule(availableNow: 1, supplies: supplies, demands: [], today: atpDay(1), horizonDays: 0)
        #expect(none.periods.map(\.start) == [atpDay(1)])
        let negative = ATPSchedule(availableNow: 1, supplies: [(atpDay(1), 2)], demands: [], today: atpDay(1), horizonDays: -4)
        #expect(negative.horizonDays == 0)
        #expect(negative.periods.map(\.supply) == [3])
        let unbounded = ATPSchedule(availableNow: 0, supplies: [(atpDay(3_000), 2)], demands: [], today: atpDay(1), horizonDays: .max)
        #expect(unbounded.horizonDays == ATPSchedule.maxHorizonDays)
        #expect(unbounded.availableOn(atpDay(3_000)) == 2)
    }

    @Test func defaultHorizonIsNinetyDays() {
        let schedule = ATPSchedule(availableNow: 0, supplies: [(atpDay(91), 4), (atpDay(92), 6)], demands: [], today: atpDay(1))
        #expect(schedule.periods.map(\.start) == [atpDay(1), atpDay(91)])
        #expect(schedule.availableOn(atpDay(100)) == 4)
    }

    @Test func receiptsBeforeTodayCountAsDueToday() {
        let schedule = ATPSchedule(
            availableNow: 5,
            supplies: [(atpDay(-3), 4), (atpDay(1), 2), (atpDay(4), 8), (atpDay(4), 1)],
            demands: [],
            today: atpDay(1)
        )
        #expect(schedule.periods.map(\.start) == [atpDay(1), atpDay(4)])
        #expect(schedule.periods.map(\.supply) == [11, 9])
        #expect(schedule.periods.map(\.cumulative) == [11, 20])
    }

    @Test func demandBeforeTodayFallsIntoTheFirstPeriod() {
        let schedule = ATPSchedule(
            availableNow: 10,
            supplies: [(atpDay(5), 10)],
            demands: [(atpDay(-10), 4), (atpDay(4), 3), (atpDay(5), 6)],
            today: atpDay(1)
        )
        #expect(schedule.periods.map(\.demand) == [7, 6])
        #expect(schedule.periods.map(\.atp) == [3, 4])
        #expect(schedule.periods.map(\.cumulative) == [3, 7])
    }

    @Test func demandAfterTheHorizonFallsIntoTheLastPeriod() {
        let schedule = ATPSchedule(
            availableNow: 0,
            supplies: [(atpDay(5), 10), (atpDay(50), 10)],
            demands: [(atpDay(40), 8)],
            today: atpDay(1),
            horizonDays: 20
        )
        #expect(schedule.periods.map(\.demand) == [0, 8])
        #expect(schedule.periods.map(\.cumulative) == [0, 2])
    }

    @Test func backwardConsumptionBorrowsFromTheLatestEarlierPeriodsFirst() {
        let schedule = ATPSchedule(
            availableNow: 10,
            supplies: [(atpDay(2), 10), (atpDay(3), 4), (atpDay(4), 5)],
            demands: [(atpDay(3), 6), (atpDay(4), 20)],
            today: atpDay(1)
        )
        // Raw: 10, 10, −2, −15. Day 3 borrows 2 from day 2; day 4 borrows 8 from day 2 then 7 from day 1.
        #expect(schedule.periods.map(\.atp) == [3, 0, 0, 0])
        #expect(schedule.periods.map(\.cumulative) == [3, 3, 3, 3])
        #expect(schedule.uncovered == 0)
    }

    @Test func overcommittedDemandIsReportedAsUncovered() {
        let schedule = ATPSchedule(
            availableNow: 2,
            supplies: [(atpDay(3), 10), (atpDay(6), 5)],
            demands: [(atpDay(1), 6), (atpDay(4), 4), (atpDay(7), 9)],
            today: atpDay(1)
        )
        // Day 1 is 4 short with nothing earlier; day 3 keeps 6; day 6 borrows 4 from day 3.
        #expect(schedule.periods.map(\.atp) == [0, 2, 0])
        #expect(schedule.periods.map(\.uncovered) == [4, 0, 0])
        #expect(schedule.uncovered == 4)
        #expect(schedule.periods.map(\.cumulative) == [0, 2, 2])
        #expect(schedule.promiseDate(for: 1, requested: nil) == atpDay(3))
        #expect(schedule.promiseDate(for: 3, requested: nil) == nil)
    }

    @Test func ignoresNonPositiveQuantitiesAndNegativeAvailability() {
        let schedule = ATPSchedule(
            availableNow: -7,
            supplies: [(atpDay(2), 0), (atpDay(3), -5), (atpDay(4), 3)],
            demands: [(atpDay(1), 0), (atpDay(4), -2)],
            today: atpDay(1)
        )
        #expect(schedule.periods.map(\.start) == [atpDay(1), atpDay(4)])
        #expect(schedule.periods.map(\.supply) == [0, 3])
        #expect(schedule.periods.map(\.demand) == [0, 0])
        #expect(schedule.uncovered == 0)
    }

    @Test func inputFromABalanceUsesOnlyItsOpenReceipts() {
        let balance = InventoryBalance(warehouseID: "W1", sku: "A", onHand: 12, reserved: 3, safetyStock: 2)
        let createdAt = Date(timeIntervalSince1970: 0)
        let receipts = [
            ScheduledReceipt(id: "R1", warehouseID: "W1", sku: "A", quantity: 10, receivedQuantity: 4, expectedDate: atpDay(3), createdAt: createdAt),
            ScheduledReceipt(id: "R2", warehouseID: "W2", sku: "A", quantity: 10, expectedDate: atpDay(3), createdAt: createdAt),
            ScheduledReceipt(id: "R3", warehouseID: "W1", sku: "B", quantity: 10, expectedDate: atpDay(3), createdAt: createdAt),
            ScheduledReceipt(id: "R4", warehouseID: "W1", sku: "A", quantity: 10, expectedDate: atpDay(4), status: .cancelled, createdAt: createdAt),
            ScheduledReceipt(
                id: "R5",
                warehouseID: "W1",
                sku: "A",
                quantity: 10,
                receivedQuantity: 10,
                expectedDate: atpDay(5),
                createdAt: createdAt
            ),
        ]
        let input = ATPSchedule.Input(balance: balance, receipts: receipts)
        #expect(input.availableNow == 7)
        #expect(input.supplies == [.init(date: atpDay(3), quantity: 6)])
        #expect(input.demands.isEmpty)
    }

    @Test func networkPoolsWarehouses() {
        let east = ATPSchedule.Input(availableNow: 0, supplies: [(atpDay(5), 4)], demands: [(atpDay(1), 5)])
        let west = ATPSchedule.Input(availableNow: 8, supplies: [(atpDay(3), 2)], demands: [(atpDay(3), 1)])
        let broken = ATPSchedule.Input(availableNow: -50)
        let network = ATPSchedule.network([east, west, broken], today: atpDay(1))
        #expect(network.periods.map(\.start) == [atpDay(1), atpDay(3), atpDay(5)])
        #expect(network.periods.map(\.supply) == [8, 2, 4])
        #expect(network.periods.map(\.demand) == [5, 1, 0])
        #expect(network.periods.map(\.cumulative) == [3, 4, 8])
        #expect(network.uncovered == 0)
        // Alone, east cannot cover its own commitment.
        #expect(ATPSchedule(east, today: atpDay(1)).uncovered == 5)
        let summed = ATPSchedule.Input(
            availableNow: 8,
            supplies: [(atpDay(5), 4), (atpDay(3), 2)],
            demands: [(atpDay(1), 5), (atpDay(3), 1)]
        )
        #expect(network == ATPSchedule(summed, today: atpDay(1)))
        #expect(ATPSchedule.network([], today: atpDay(1)).periods == [.init(start: atpDay(1), supply: 0, demand: 0, atp: 0, cumulative: 0)])
    }

    @Test func codesAsJSON() throws {
        let schedule = Self.workedExample()
        let data = try JSONCoding.encoder().encode(schedule)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"{"horizonDays":90,"periods":[{"atp":3,"cumulative":3,"demand":25,"start":"2026-03-02","supply":30,"uncovered":0}"#))
        #expect(text.hasSuffix(#""today":"2026-03-02","uncovered":0}"#))
        #expect(try JSONCoding.decoder().decode(ATPSchedule.self, from: data) == schedule)
    }
}
