import CrossdockDomain
import Testing

@Suite("CreditStanding")
struct CreditStandingTests {
    @Test func computesExposureAndAvailableCredit() {
        let standing = CreditStanding(customer: Fixture.customer(creditLimit: 10_000, openBalance: 3_000), openOrders: Fixture.usd(2_500))
        #expect(standing.customerID == "C-1")
        #expect(standing.status == .active)
        #expect(standing.creditLimit == Fixture.usd(10_000))
        #expect(standing.openBalance == Fixture.usd(3_000))
        #expect(standing.openOrders == Fixture.usd(2_500))
        #expect(standing.exposure == Fixture.usd(5_500))
        #expect(standing.availableCredit == Fixture.usd(4_500))
        #expect(standing.holds.isEmpty)
        #expect(standing.canOrder)
    }

    @Test func exactlyAtTheLimitLeavesNoCredit() {
        let standing = CreditStanding(customer: Fixture.customer(creditLimit: 10_000, openBalance: 6_000), openOrders: Fixture.usd(4_000))
        #expect(standing.availableCredit == Fixture.usd(0))
        #expect(!standing.canOrder)
    }

    @Test func overTheLimitIsNegative() {
        let standing = CreditStanding(customer: Fixture.customer(creditLimit: 10_000, openBalance: 9_000), openOrders: Fixture.usd(2_000))
        #expect(standing.availableCredit == Fixture.usd(-1_000))
        #expect(!standing.canOrder)
    }

    @Test func oneUnitOfCreditIsEnough() {
        let standing = CreditStanding(customer: Fixture.customer(creditLimit: 10_000, openBalance: 9_999), openOrders: Fixture.usd(0))
        #expect(standing.canOrder)
    }

    @Test func creditHoldBlocksOrdering() {
        let standing = CreditStanding(customer: Fixture.customer(creditHold: .init(reason: "past due")), openOrders: Fixture.usd(0))
        #expect(standing.holds == ["credit_hold: past due"])
        #expect(!standing.canOrder)
        #expect(standing.availableCredit.minorUnits > 0)
    }

    @Test func blockedAccountListsEveryHoldInOrder() {
        let customer = Fixture.customer(status: .blocked, creditHold: .init(reason: "fraud review"))
        let standing = CreditStanding(customer: customer, openOrders: Fixture.usd(0))
        #expect(standing.status == .blocked)
        #expect(standing.holds == ["account_blocked", "credit_hold: fraud review"])
        #expect(!standing.canOrder)
    }
}
