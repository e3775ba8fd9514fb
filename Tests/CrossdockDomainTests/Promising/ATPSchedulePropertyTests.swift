import CrossdockDomain
import PropertyBased
import Testing

private let atpToday = BusinessDay("2026-03-02")!

/// Dated quantities as (offset from today, quantity) pairs, some before today and some non-positive.
private let atpDatedGen = zip(Gen.int(in: -5...40), Gen.int(in: -3...40)).array(of: 0...8)
private let atpAvailableGen = Gen.int(in: -5...60)
private let atpHorizonGen = Gen.int(in: 0...45)

private func atpDated(_ pairs: [(Int, Int)]) -> [(date: BusinessDay, quantity: Int)] {
    pairs.map { (date: atpToday.adding(days: $0.0), quantity: $0.1) }
}

private func atpSchedule(_ available: Int, _ supplies: [(Int, Int)], _ demands: [(Int, Int)], _ horizon: Int) -> ATPSchedule {
    ATPSchedule(availableNow: available, supplies: atpDated(supplies), demands: atpDated(demands), today: atpToday, horizonDays: horizon)
}

@Suite("ATPSchedule invariants")
struct ATPSchedulePropertyTests {
    @Test func atpIsNeverNegativeAndCumulativeNeverFalls() async {
        await propertyCheck(count: 200, input: atpAvailableGen, atpDatedGen, atpDatedGen, atpHorizonGen) { available, supplies, demands, horizon in
            let result = atpSchedule(available, supplies, demands, horizon)
            #expect(!result.periods.isEmpty)
            #expect(result.periods.first?.start == atpToday)
            #expect(result.periods.allSatisfy { $0.atp >= 0 && $0.uncovered >= 0 })
            #expect(zip(result.periods, result.periods.dropFirst()).allSatisfy { $0.start < $1.start && $0.cumulative <= $1.cumulative })
            var running = 0
            for period in result.periods {
                running += period.atp
                #expect(period.cumulative == running)
            }
            #expect(result.periods.allSatisfy { $0.start <= result.horizonEnd })
        }
    }

    @Test func supplyIsConserved() async {
        await propertyCheck(count: 200, input: atpAvailableGen, atpDatedGen, atpDatedGen, atpHorizonGen) { available, supplies, demands, horizon in
            let result = atpSchedule(available, supplies, demands, horizon)
            let totalSupply = result.periods.reduce(0) { $0 + $1.supply }
            let totalDemand = result.periods.reduce(0) { $0 + $1.demand }
            let totalATP = result.periods.reduce(0) { $0 + $1.atp }
            #expect(totalSupply == max(0, available) + supplies.filter { $0.1 > 0 && $0.0 <= horizon }.reduce(0) { $0 + $1.1 })
            #expect(totalDemand == demands.filter { $0.1 > 0 }.reduce(0) { $0 + $1.1 })
            #expect(totalSupply == totalATP + (totalDemand - result.uncovered))
            #expect(result.uncovered == result.periods.reduce(0) { $0 + $1.uncovered })
        }
    }

    /// With `Δ_j = Σ_{i≤j} (demand_i − supply_i)`: uncovered = max(0, max_j Δ_j) (nothing can serve demand
    /// earlier than it arrives), and CATP_k = uncovered − max_{j≥k} Δ_j (what period k can still give without
    /// uncovering any later commitment).
    @Test func matchesTheClosedForm() async {
        await propertyCheck(count: 200, input: atpAvailableGen, atpDatedGen, atpDatedGen, atpHorizonGen) { available, supplies, demands, horizon in
            let result = atpSchedule(available, supplies, demands, horizon)
            var deficits: [Int] = []
            var running = 0
            for period in result.periods {
                running += period.demand - period.supply
                deficits.append(running)
            }
            let uncovered = max(0, deficits.max() ?? 0)
            #expect(result.uncovered == uncovered)
            for (k, period) in result.periods.enumerated() {
                #expect(period.cumulative == uncovered - deficits[k...].max()!)
            }
        }
    }

    @Test func promiseDateIsTheEarliestCoveredDay() async {
        await propertyCheck(
            count: 200,
            input: atpAvailableGen,
            atpDatedGen,
            atpDatedGen,
            atpHorizonGen,
            Gen.int(in: -2...80),
            Gen.int(in: -8...60).optional
        ) { available, supplies, demands, horizon, quantity, requestedOffset in
            let result = atpSchedule(available, supplies, demands, horizon)
            let requested = requestedOffset.map { atpToday.adding(days: $0) }
            let earliest = max(requested ?? atpToday, atpToday)
            // Eligible days: the earliest day itself and every later period start.
            let eligible = [earliest] + result.periods.map(\.start).filter { $0 > earliest }
            let promise = result.promiseDate(for: quantity, requested: requested)
            if let promise {
                #expect(eligible.contains(promise))
                #expect(result.availableOn(promise) >= quantity)
                #expect(eligible.filter { $0 < promise }.allSatisfy { result.availableOn($0) < quantity })
            } else {
                #expect(eligible.allSatisfy { result.availableOn($0) < quantity })
                #expect(quantity > 0)
            }
        }
    }

    @Test func committingAPromiseNeverUncoversDemand() async {
        await propertyCheck(
            count: 200,
            input: atpAvailableGen,
            atpDatedGen,
            atpDatedGen,
            atpHorizonGen,
            Gen.int(in: 1...80),
            Gen.int(in: -8...60).optional
        ) { available, supplies, demands, horizon, quantity, requestedOffset in
            let before = atpSchedule(available, supplies, demands, horizon)
            let requested = requestedOffset.map { atpToday.adding(days: $0) }
            guard let promise = before.promiseDate(for: quantity, requested: requested) else { return }
            let after = atpSchedule(available, supplies, demands + [(atpToday.days(until: promise), quantity)], horizon)
            #expect(after.uncovered == before.uncovered)
            #expect(after.periods.map(\.start) == before.periods.map(\.start))
            #expect(after.availableOn(promise) == before.availableOn(promise) - quantity)
        }
    }

    @Test func networkEqualsTheSummedInput() async {
        let warehouse = zip(atpAvailableGen, atpDatedGen, atpDatedGen)
        await propertyCheck(count: 100, input: warehouse, warehouse) { one, two in
            let first = ATPSchedule.Input(availableNow: one.0, supplies: atpDated(one.1), demands: atpDated(one.2))
            let second = ATPSchedule.Input(availableNow: two.0, supplies: atpDated(two.1), demands: atpDated(two.2))
            let network = ATPSchedule.network([first, second], today: atpToday, horizonDays: 30)
            let summed = ATPSchedule(
                availableNow: max(0, one.0) + max(0, two.0),
                supplies: atpDated(one.1 + two.1),
                demands: atpDated(one.2 + two.2),
                today: atpToday,
                horizonDays: 30
            )
            #expect(network == summed)
            let separate = [first, second].map { ATPSchedule($0, today: atpToday, horizonDays: 30) }
            #expect(network.uncovered <= separate.reduce(0) { $0 + $1.uncovered })
        }
    }
}
