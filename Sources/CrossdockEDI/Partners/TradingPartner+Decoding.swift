extension TradingPartner {
    enum CodingKeys: String, CodingKey {
        case id, name, role
        case customerID = "customerId"
        case warehouseID = "warehouseId"
        case isaQualifier
        case isaID = "isaId"
        case gsCode
        case ourISAQualifier = "ourIsaQualifier"
        case ourISAID = "ourIsaId"
        case ourGSCode = "ourGsCode"
        case version
        case elementSeparator, componentSeparator, repetitionSeparator, segmentTerminator, newlineAfterSegment, usage
        case inbound, outbound, endpoint, endpointSecret, itemQualifiers, buyerPartNumbers, sendsFunctionalAcknowledgments
    }

    /// Decodes a profile; every member but `id`, `name`, `isaId`, `gsCode`, `ourIsaId` and `ourGsCode` has the
    /// default of ``init(id:name:role:customerID:warehouseID:isaQualifier:isaID:gsCode:ourISAQualifier:ourISAID:ourGSCode:version:elementSeparator:componentSeparator:repetitionSeparator:segmentTerminator:newlineAfterSegment:usage:inbound:outbound:endpoint:itemQualifiers:buyerPartNumbers:sendsFunctionalAcknowledgments:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TradingPartner(id: "", name: "", isaID: "", gsCode: "", ourISAID: "", ourGSCode: "")
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
        self.init(
            id: try c.decode(String.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            role: try value(.role, defaults.role),
            customerID: try c.decodeIfPresent(String.self, forKey: .customerID),
            warehouseID: try c.decodeIfPresent(String.self, forKey: .warehouseID),
            isaQualifier: try value(.isaQualifier, defaults.isaQualifier),
            isaID: try c.decode(String.self, forKey: .isaID),
            gsCode: try c.decode(String.self, forKey: .gsCode),
            ourISAQualifier: try value(.ourISAQualifier, defaults.ourISAQualifier),
            ourISAID: try c.decode(String.self, forKey: .ourISAID),
            ourGSCode: try c.decode(String.self, forKey: .ourGSCode),
            version: try value(.version, defaults.version),
            elementSeparator: try value(.elementSeparator, defaults.elementSeparator),
            componentSeparator: try value(.componentSeparator, defaults.componentSeparator),
            repetitionSeparator: try value(.repetitionSeparator, defaults.repetitionSeparator),
            segmentTerminator: try value(.segmentTerminator, defaults.segmentTerminator),
            newlineAfterSegment: try value(.newlineAfterSegment, defaults.newlineAfterSegment),
            usage: try value(.usage, defaults.usage),
            inbound: try value(.inbound, defaults.inbound),
            outbound: try value(.outbound, defaults.outbound),
            endpoint: try c.decodeIfPresent(String.self, forKey: .endpoint),
            endpointSecret: try c.decodeIfPresent(String.self, forKey: .endpointSecret),
            itemQualifiers: try value(.itemQualifiers, defaults.itemQualifiers),
            buyerPartNumbers: try value(.buyerPartNumbers, defaults.buyerPartNumbers),
            sendsFunctionalAcknowledgments: try value(.sendsFunctionalAcknowledgments, defaults.sendsFunctionalAcknowledgments)
        )
    }

    /// The sets the hub reads and writes.
    public static let supportedInbound: Set<String> = ["850", "997", "945"]
    /// The sets the hub writes.
    public static let supportedOutbound: Set<String> = ["997", "855", "856", "810", "940"]

    /// What is wrong with the profile, as `(field, reason)`; empty when it can be used.
    public var problems: [(field: String, reason: String)] {
        var result: [(String, String)] = []
        func check(_ failed: Bool, _ field: String, _ reason: String) { if failed { result.append((field, reason)) } }
        let idCharacters = { (s: String) in s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " -._/&".contains($0)) } }
        check(id.isEmpty || id.count > 64, "id", "must be 1…64 characters")
        check(name.isEmpty, "name", "must not be empty")
        for (field, value) in [("isaQualifier", isaQualifier), ("ourIsaQualifier", ourISAQualifier)] {
            check(value.count != 2 || !idCharacters(value), field, "must be a 2-character ISA qualifier")
        }
        for (field, value) in [("isaId", isaID), ("ourIsaId", ourISAID)] {
            check(value.isEmpty || value.count > 15 || !idCharacters(value), field, "must be 1…15 letters, digits or spaces")
        }
        for (field, value) in [("gsCode", gsCode), ("ourGsCode", ourGSCode)] {
            check(value.count < 2 || value.count > 15 || !idCharacters(value), field, "must be 2…15 characters")
        }
        check(!["004010", "005010"].contains(version), "version", "must be 004010 or 005010")
        check(!["P", "T"].contains(usage), "usage", "must be P or T")
        let separators = [elementSeparator, componentSeparator, repetitionSeparator, segmentTerminator]
        check(separators.contains { $0.count != 1 }, "separators", "each separator must be one character")
        if separators.allSatisfy({ $0.count == 1 }) {
            let repetition: Character? = version >= "005010" ? Character(repetitionSeparator) : nil
            do {
                _ = try X12Delimiters(
                    element: Character(elementSeparator),
                    component: Character(componentSeparator),
                    repetition: repetition,
                    segmentTerminator: Character(segmentTerminator)
                )
            } catch {
                result.append(("separators", error.message))
            }
        }
        for (index, set) in inbound.enumerated() where !Self.supportedInbound.contains(set) {
            result.append(("inbound[\(index)]", "the hub reads \(Self.supportedInbound.sorted().joined(separator: ", "))"))
        }
        for (index, set) in outbound.enumerated() where !Self.supportedOutbound.contains(set) {
            result.append(("outbound[\(index)]", "the hub writes \(Self.supportedOutbound.sorted().joined(separator: ", "))"))
        }
        if let endpoint {
            let ok = endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")
            check(!ok, "endpoint", "must be an absolute http(s) URL")
        }
        check(role == .customer && customerID == nil, "customerId", "a customer partner needs the account its orders are booked to")
        check(role == .warehouse && warehouseID == nil, "warehouseId", "a warehouse partner needs the hub warehouse it operates")
        check(itemQualifiers.isEmpty, "itemQualifiers", "needs at least one item qualifier")
        return result
    }
}
