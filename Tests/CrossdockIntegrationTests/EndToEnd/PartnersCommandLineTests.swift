import CrossdockTestSupport
import Foundation
import Testing

/// `crossdock partners validate`: a profile and a mappings folder checked offline, with the rules the hub applies
/// when they are put, every problem naming its field.
@Suite struct PartnersCommandLineTests {
    @Test func profilesAndMappingsAreCheckedOfflineNamingEachField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("partners-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let executable = try HubProcess.executable
        func run(_ arguments: [String]) throws -> ChildProcess.Result { try ChildProcess.run(executable, ["partners", "validate"] + arguments) }

        let good = try write("acme.json", X12Fixtures.profile())
        let accepted = try run([good])
        #expect(accepted.status == 0, "\(accepted.text)")
        #expect(accepted.text.contains("acme.json: ok"))

        let bad = try write(
            "bad.json",
            X12Fixtures.profile().replacingOccurrences(of: #""isaQualifier":"ZZ""#, with: #""isaQualifier":"ZZZ""#)
                .replacingOccurrences(of: #""customerId":"CUST-001""#, with: #""endpointSecret":"nope""#)
        )
        let missing = try write("3pl.json", #"{"kind":"csv","id":"3pl-x"}"#)
        let kind = try write("fax.json", #"{"kind":"fax","id":"x"}"#)
        let mixed = try run([good, bad, missing, kind])
        #expect(mixed.status == 1, "any problem fails the run")
        for line in [
            "acme.json: ok", "bad.json: isaQualifier:", "bad.json: customerId:", "bad.json: endpointSecret:", "3pl.json: warehouseId: is required",
            "fax.json: kind: must be one of",
        ] {
            #expect(mixed.text.contains(line), "\(line) in \(mixed.text)")
        }

        let mappings = folder.appendingPathComponent("mappings")
        try FileManager.default.createDirectory(at: mappings, withIntermediateDirectories: true)
        try Data(#"{"name":"erp-order","events":["order.accepted"],"template":{"po":{"$lookup":"$.data.customerPo","table":"missing"}}}"#.utf8)
            .write(to: mappings.appendingPathComponent("erp-order.json"))
        let refused = try run(["--mappings", mappings.path])
        #expect(refused.status == 1)
        #expect(refused.text.contains("invalid_mapping"), "\(refused.text)")
        #expect(refused.text.contains("missing"), "the unknown table is named: \(refused.text)")
    }
}
