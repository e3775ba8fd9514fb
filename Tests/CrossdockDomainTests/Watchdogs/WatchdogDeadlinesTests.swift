import CrossdockDomain
import Foundation
import Testing

/// Deadlines: built-in defaults, hub-wide defaults, overrides per subject, and a document that makes no sense refused
/// with errors naming the field.
@Suite struct WatchdogDeadlinesTests {
    func parse(_ text: String) throws -> WatchdogDeadlines {
        try WatchdogDeadlines.parse(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    func fields(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch let error as IntakeError {
            return error.errors.map(\.field)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func overridesWinOverDefaultsWhichWinOverTheBuiltInValues() throws {
        let deadlines = try parse(
            #"{"defaults":{"ediAcknowledgementHours":12,"returnWindowDays":45},"carriers":{"UPS":{"scanBusinessDays":1}},"#
                + #""partners":{"ACME":{"ediAcknowledgementHours":4}},"channels":{"shopify":{"returnWindowDays":60}},"#
                + #""warehouses":{"WH-3PL":{"fulfillmentAcknowledgementMinutes":30}}}"#
        )
        #expect(deadlines.ediAcknowledgement(partner: "ACME") == 4 * 3600)
        #expect(deadlines.ediAcknowledgement(partner: "OTHER") == 12 * 3600)
        #expect(deadlines.returnWindowDays(channel: "shopify") == 60 && deadlines.returnWindowDays(channel: "api") == 45)
        #expect(deadlines.scanBusinessDays(carrier: "UPS") == 1 && deadlines.scanBusinessDays(carrier: "FDX") == 2)
        #expect(deadlines.fulfillmentAcknowledgement(warehouse: "WH-3PL") == 1800)
        #expect(deadlines.fulfillmentAcknowledgement(warehouse: "WH-EAST") == 4 * 3600)
        #expect(deadlines.transitGrace(carrier: "UPS") == 24 * 3600 && deadlines.backorderGraceDays(channel: "api") == 0)
        #expect(deadlines.silenceFactor(channel: "api") == 4 && deadlines.minimumSilence(channel: "api") == 7200)
        // It round-trips as stored.
        let stored = try JSONCoding.decoder().decode(WatchdogDeadlines.self, from: try JSONCoding.encode(deadlines))
        #expect(stored == deadlines)
        #expect(try parse("{}") == WatchdogDeadlines())
    }

    @Test func nonsenseIsRefusedNamingEachField() {
        #expect(fields(#"{"defaults":{"scanBusinessDays":0}}"#) == ["defaults.scanBusinessDays"])
        #expect(fields(#"{"carriers":{"UPS":{"returnWindowDays":10}}}"#) == ["carriers.UPS.returnWindowDays"])
        #expect(fields(#"{"channels":{"shopify":{"silenceFactor":1.5}}}"#) == ["channels.shopify.silenceFactor"])
        #expect(fields(#"{"partners":{"ACME":{"ediAcknowledgementHours":"soon"}}}"#) == ["partners.ACME.ediAcknowledgementHours"])
        #expect(fields(#"{"defaults":{"nap":3}}"#) == ["defaults.nap"])
        #expect(fields(#"{"shippers":{}}"#) == ["shippers"])
        #expect(fields(#"{"warehouses":[]}"#) == ["warehouses"])
        #expect(fields(#"{"warehouses":{"WH":7}}"#) == ["warehouses.WH"])
        #expect(fields(#"{"warehouses":{" ":{"fulfillmentAcknowledgementMinutes":5}}}"#) == ["warehouses. "])
        #expect(fields(#"[]"#) == [""])
        #expect(
            fields(#"{"defaults":{"returnWindowDays":-1,"transitGraceHours":100000},"partners":{"A":{"scanBusinessDays":3}}}"#)
                == ["defaults.transitGraceHours", "defaults.returnWindowDays", "partners.A.scanBusinessDays"]
        )
        #expect(fields(#"{"defaults":{"returnWindowDays":null},"channels":{"x":{"returnWindowDays":0,"backorderGraceDays":0}}}"#).isEmpty)
    }

    @Test func validationExplainsWhereALimitBelongs() {
        let misplaced = WatchdogDeadlines(warehouses: ["WH": .init(scanBusinessDays: 3)]).validate()
        #expect(misplaced.map(\.reason) == ["does not apply to warehouses; set it under defaults or carriers"])
        let range = WatchdogDeadlines(defaults: .init(silenceFactor: 1)).validate()
        #expect(range.map(\.reason) == ["must be between 2 and 100"])
    }
}
