import CrossdockEDI
import Foundation

/// X12 written by hand as a trading partner's translator would send it, for the inbound tests.
enum X12Fixtures {
    /// The test partner's ISA id (it sends as `ZZ`/`ACMEBUYER`), and the hub's id towards it.
    static let partnerID = "ACMEBUYER"
    static let hubID = "CROSSDOCK"

    /// The partner profile the tests register (`PUT /v1/partners/acme`).
    static func profile(
        customer: String = "CUST-001",
        endpoint: String? = nil,
        role: String = "customer",
        warehouse: String? = nil,
        version: String = "004010"
    ) -> String {
        var fields = [
            #""version":"\#(version)""#,
            #""kind":"x12""#, #""id":"acme""#, #""name":"Acme Retail""#, #""role":"\#(role)""#,
            #""isaQualifier":"ZZ""#, #""isaId":"\#(partnerID)""#, #""gsCode":"\#(partnerID)""#,
            #""ourIsaQualifier":"ZZ""#, #""ourIsaId":"\#(hubID)""#, #""ourGsCode":"\#(hubID)""#,
        ]
        if role == "customer" {
            fields.append(#""customerId":"\#(customer)""#)
        } else {
            fields += [#""warehouseId":"\#(warehouse ?? "")""#, #""inbound":["945","997"]"#, #""outbound":["997","940"]"#]
        }
        if let endpoint { fields.append(#""endpoint":"\#(endpoint)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The segments of a 945 (without ST/SE) confirming that fulfilment order `fulfillmentID` shipped `quantity` of
    /// `sku` (its line 1) in one carton tracked as `tracking`.
    static func shippingAdvice(fulfillmentID: String, shipment: String, tracking: String, sku: String, quantity: Int) -> [String] {
        [
            "W06*F*\(X12Identifier.compact(fulfillmentID))*20261127*\(shipment)", "N1*ST*Customer 1 Receiving*92*ST-1-1", "N9*BM*BOL-\(shipment)",
            "G62*11*20261127*8*1500", "W27*M*UPSN*ground", "LX*1", "MAN*CP*\(tracking)", "W12*CC*\(quantity)*\(quantity)**EA**VN*\(sku)", "N9*LI*1",
            "W03*\(quantity)",
        ]
    }

    /// An interchange from the partner to the hub holding `sets` (each a list of segments without ST/SE) in one group.
    static func interchange(
        control: Int,
        functionalID: String = "PO",
        sets: [(id: String, segments: [String])],
        sender: String = partnerID,
        version: String = "004010"
    ) -> String {
        func pad(_ value: String, _ width: Int) -> String { value.padding(toLength: width, withPad: " ", startingAt: 0) }
        let isa13 = String(format: "%09d", control)
        var lines = [
            "ISA*00*\(pad("", 10))*00*\(pad("", 10))*ZZ*\(pad(sender, 15))*ZZ*\(pad(hubID, 15))*261127*1200*\(version >= "005010" ? "^" : "U")*\(version.prefix(5))*\(isa13)*0*P*>",
            "GS*\(functionalID)*\(sender)*\(hubID)*20261127*1200*\(control)*X*\(version)",
        ]
        for (index, set) in sets.enumerated() {
            let st02 = String(format: "%04d", index + 1)
            lines.append(version >= "005010" ? "ST*\(set.id)*\(st02)*\(version)" : "ST*\(set.id)*\(st02)")
            lines += set.segments
            lines.append("SE*\(set.segments.count + 2)*\(st02)")
        }
        lines += ["GE*\(sets.count)*\(control)", "IEA*1*\(isa13)"]
        return lines.map { $0 + "~" }.joined(separator: "\n") + "\n"
    }

    /// An 850 for `lines` (sku or `UP:` GTIN, quantity, price as written).
    static func purchaseOrder(_ number: String, lines: [(item: String, quantity: Int, price: String)], shipTo: String = "ST-1") -> [String] {
        var segments = [
            "BEG*00*SA*\(number)**20261127",
            "REF*DP*038",
            "DTM*010*20261201",
            "N1*ST*Acme Store 12*92*\(shipTo)",
        ]
        for (index, line) in lines.enumerated() {
            let item = line.item.hasPrefix("UP:") ? "UP*\(line.item.dropFirst(3))" : "VP*\(line.item)"
            segments.append("PO1*\(index + 1)*\(line.quantity)*EA*\(line.price)*PE*\(item)")
        }
        segments.append("CTT*\(lines.count)")
        return segments
    }
}
