import CrossdockDomain
import Foundation
import Testing

/// Regression tests for the domain fixes: event type parsing, millisecond rounding, currency codes,
/// intake checks of dates and prices, and the status of a fully rejected-or-cancelled line.
@Suite("Domain fixes")
struct DomainFixesTests {
    // MARK: EventType(qualifiedName:)

    @Test(arguments: [
        "com.crossdock.v1",
        "com.crossdock..v1",
        "com.crossdock.order.received.v+2",
        "com.crossdock.order.received.v0",
        "com.crossdock.order.received.v-1",
        "com.crossdock.order.received.v00",
        "com.crossdock..order.received.v1",
        "com.crossdock.order.received..v1",
    ])
    func eventTypeRejectsEmptyNamesAndNonPositiveVersions(text: String) {
        #expect(EventType(qualifiedName: text) == nil)
    }

    @Test func eventTypeStillParsesWellFormedNames() throws {
        let parsed = try #require(EventType(qualifiedName: "com.crossdock.order.received.v2"))
        #expect(parsed.name == "order.received")
        #expect(parsed.schemaVersion == 2)
        // Leading zeros are digits; the version is still ≥ 1.
        #expect(EventType(qualifiedName: "com.crossdock.order.received.v01")?.schemaVersion == 1)
    }

    // MARK: JSONCoding.format rounding

    @Test(arguments: [
        (1_700_000_000.0004, "2023-11-14T22:13:20.000Z"),
        (1_700_000_000.0006, "2023-11-14T22:13:20.001Z"),
        (1_700_000_000.1239, "2023-11-14T22:13:20.124Z"),
        (1_700_000_000.9996, "2023-11-14T22:13:21.000Z"),
        (-0.0004, "1970-01-01T00:00:00.000Z"),
        (-0.0006, "1969-12-31T23:59:59.999Z"),
    ])
    func formatRoundsToTheNearestMillisecond(seconds: Double, expected: String) {
        #expect(JSONCoding.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func formatParseFormatIsStableForAThousandConsecutiveMilliseconds() throws {
        var unstable: [Int] = []
        for millisecond in 0..<1000 {
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(millisecond) / 1000)
            let text = JSONCoding.format(date)
            #expect(text.hasSuffix(String(format: ".%03dZ", millisecond)), "\(text)")
            let parsed = try #require(JSONCoding.parse(text))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.0005)
            if JSONCoding.format(parsed) != text { unstable.append(millisecond) }
        }
        #expect(unstable.isEmpty, "milliseconds whose text changed on a round trip: \(unstable)")
    }

    // MARK: Currency

    @Test(arguments: ["ßa", "usı", "ÜSD", "US", "USDX", "U$D", ""])
    func currencyNeedsThreeASCIILetters(code: String) {
        #expect(Currency(code) == nil)
    }

    @Test func currencyAcceptsAndUpperCasesASCIILetters() {
        #expect(Currency("usd") == .usd)
        #expect(Currency("eUr")?.code == "EUR")
    }

    // MARK: OrderIntake.check

    func fieldErrors(_ change: (inout OrderRequest) -> Void) -> [IntakeError.FieldError] {
        var request = Fixture.request()
        change(&request)
        do {
            try OrderIntake.check(request, customer: Fixture.customer(), products: Fixture.products)
            return []
        } catch let error as IntakeError {
            return error.errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test(arguments: ["2024-+1-05", "+024-01-05", "2024-01-+5", "2024-1-05", "2024-01-5", "2024-13-01", "2023-02-29", "2024-00-10", "２０２４-01-05"])
    func checkRejectsMalformedRequestedDates(date: String) {
        #expect(fieldErrors { $0.requestedDate = date } == [.init(field: "requestedDate", reason: "must be a date YYYY-MM-DD")])
    }

    @Test func checkRejectsAUnitPriceAboveTheMaximum() {
        let errors = fieldErrors { $0.lines = [.init(sku: "A", quantity: 1, unitPrice: OrderIntake.maxUnitPrice + 1)] }
        #expect(errors == [.init(field: "lines[0].unitPrice", reason: "at most \(OrderIntake.maxUnitPrice) minor units")])
        #expect(fieldErrors { $0.lines = [.init(sku: "A", quantity: 1, unitPrice: .max)] }.map(\.field) == ["lines[0].unitPrice"])
    }

    @Test func checkAcceptsTheMaximumUnitPrice() {
        #expect(fieldErrors { $0.lines = [.init(sku: "A", quantity: 1, unitPrice: OrderIntake.maxUnitPrice)] }.isEmpty)
    }

    // MARK: OrderLine status

    @Test(arguments: [(1, 9), (5, 5), (9, 1)])
    func lineSplitBetweenRejectedAndCancelledIsCancelled(rejected: Int, cancelled: Int) {
        let line = bucketLine(rejected: rejected, cancelled: cancelled)
        #expect(line.isBalanced)
        #expect(line.status == .cancelled)
        #expect(orderWith([line]).derivedStatus == .cancelled)
    }

    @Test func fullyRejectedLineStaysRejected() {
        #expect(bucketLine(rejected: 10).status == .rejected)
        #expect(bucketLine(cancelled: 10).status == .cancelled)
    }
}
