import CrossdockDomain
import Testing

/// The pacing of a rate-limited subject's admitted requests: spread at the limit's rate after a burst of a twentieth
/// of the limit, never held past the longest hold, and a long burst leaves no debt behind it.
@Suite struct PaceScheduleTests {
    @Test func aWindowsRequestsArrivingAtOnceAreSpreadAtTheLimitsRate() throws {
        var schedule = try #require(PaceSchedule(requests: 20, windowSeconds: 1, maxHold: 1))
        #expect(schedule.burst == 1)
        let holds = (0..<20).map { _ in schedule.admit(at: 100) }
        for (index, hold) in holds.enumerated() { #expect(abs(hold - Double(index) * 0.05) < 1e-9, "request \(index)") }
        // The next window's first request is due at its start: nothing is owed.
        #expect(schedule.admit(at: 101) == 0)
    }

    @Test func aTwentiethOfTheLimitPassesAtOnceAfterALull() throws {
        var schedule = try #require(PaceSchedule(requests: 100, windowSeconds: 1, maxHold: 1))
        #expect(schedule.burst == 5)
        #expect((0..<5).map { _ in schedule.admit(at: 10) } == [0, 0, 0, 0, 0])
        #expect(abs(schedule.admit(at: 10) - 0.01) < 1e-9)
        // A lull of the burst's length earns the burst back.
        #expect((0..<5).map { _ in schedule.admit(at: 10.07) } == [0, 0, 0, 0, 0])
    }

    @Test func noRequestIsHeldLongerThanTheLongestHoldAndALongBurstLeavesNoDebt() throws {
        var schedule = try #require(PaceSchedule(requests: 100, windowSeconds: 1, maxHold: 0.05))
        let holds = (0..<1_000).map { _ in schedule.admit(at: 0) }
        #expect(holds.max() == 0.05)
        #expect(holds.filter { $0 == 0.05 }.count == 1_000 - 10, "5 at once, 5 at 10 ms apart, the rest at the longest hold")
        // The schedule was moved up to the held requests: once they are done, the subject is on time again.
        let next = 0.05 + Double(schedule.burst) * schedule.interval
        #expect(schedule.admit(at: next) == 0)
    }

    /// Arrivals at 0.8 of the rate on average, in random clumps: never held to the longest hold, so within any second
    /// no more than the rate and the burst start.
    @Test func requestsArrivingInOrderStartInOrderAtNoMoreThanTheRateAfterTheBurst() throws {
        var schedule = try #require(PaceSchedule(requests: 50, windowSeconds: 1, maxHold: 1))
        var generator = SplitMix64(seed: 7)
        var now = 0.0
        var starts: [Double] = []
        var held = 0
        for _ in 0..<2_000 {
            now += Double(generator.next() % 50) / 1_000
            let hold = schedule.admit(at: now)
            #expect(hold >= 0 && hold < 1)
            starts.append(now + hold)
            if hold > 0 { held += 1 }
        }
        #expect(held > 200, "the clumps were paced")
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 }, "paced requests keep their order")
        // Over any second, no more than the rate plus the burst start.
        for (index, start) in starts.enumerated() {
            let within = starts[index...].prefix { $0 < start + 1 - 1e-9 }.count
            #expect(within <= 50 + schedule.burst, "starting at \(start)")
        }
    }

    @Test func slowLimitsAndAZeroHoldAreNotPaced() {
        #expect(PaceSchedule(requests: 3, windowSeconds: 60, maxHold: 1) == nil)
        #expect(PaceSchedule(requests: 50, windowSeconds: 1, maxHold: 0) == nil)
        #expect(PaceSchedule(requests: 60, windowSeconds: 60, maxHold: 1) != nil)
    }
}
