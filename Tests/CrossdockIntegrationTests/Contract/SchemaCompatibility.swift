import CrossdockDomain

/// Compares a published event schema with its committed snapshot under the v1 policy (docs/events.md): a new
/// schema may add optional properties and enum values, but may not remove a property, change a type, narrow an
/// enum, make a property required that was not, or stop guaranteeing one that was.
struct SchemaCompatibility {
    /// Definitions the old and new schemas refer to with `#/$defs/NAME`.
    let oldDefinitions: [String: JSONValue]
    let newDefinitions: [String: JSONValue]

    /// Every breaking difference between `old` and `new`, each naming its JSON path.
    func breaks(old: JSONValue, new: JSONValue, at path: String = "data") -> [String] {
        breaks(old, new, path, depth: 0)
    }

    private func breaks(_ old: JSONValue, _ new: JSONValue, _ path: String, depth: Int) -> [String] {
        guard depth < 32 else { return [] }
        let old = Self.resolved(old, oldDefinitions)
        let new = Self.resolved(new, newDefinitions)
        var found: [String] = []
        if let oldType = Self.types(old), Self.types(new) != oldType {
            found.append("\(path): type changed from \(oldType.sorted()) to \((Self.types(new) ?? []).sorted())")
        }
        if case .array(let oldValues)? = old["enum"] {
            let newValues = Set(new["enum"]?.arrayValue ?? [])
            let removed = oldValues.filter { !newValues.contains($0) }
            if new["enum"] != nil, !removed.isEmpty {
                found.append("\(path): enum values removed: \(removed.compactMap(\.stringValue).joined(separator: ", "))")
            }
        }
        let oldRequired = Set((old["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let newRequired = Set((new["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for name in newRequired.subtracting(oldRequired).sorted() { found.append("\(path).\(name): newly required") }
        for name in oldRequired.subtracting(newRequired).sorted() { found.append("\(path).\(name): no longer always present") }
        let newProperties = new["properties"]?.objectValue ?? [:]
        for (name, oldProperty) in (old["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let newProperty = newProperties[name] else {
                found.append("\(path).\(name): removed")
                continue
            }
            found += breaks(oldProperty, newProperty, "\(path).\(name)", depth: depth + 1)
        }
        if let oldItems = old["items"] {
            if let newItems = new["items"] {
                found += breaks(oldItems, newItems, "\(path)[]", depth: depth + 1)
            } else {
                found.append("\(path)[]: items schema removed")
            }
        }
        for combinator in ["oneOf", "anyOf"] {
            guard let oldOptions = old[combinator]?.arrayValue else { continue }
            let newOptions = new[combinator]?.arrayValue ?? []
            if newOptions.count < oldOptions.count {
                found.append("\(path): \(combinator) lost options")
                continue
            }
            for (index, option) in oldOptions.enumerated() {
                found += breaks(option, newOptions[index], "\(path)<\(combinator)[\(index)]>", depth: depth + 1)
            }
        }
        return found
    }

    /// `schema` with a local `$ref` followed (one level at a time).
    static func resolved(_ schema: JSONValue, _ definitions: [String: JSONValue]) -> JSONValue {
        var schema = schema
        var hops = 0
        while case .string(let ref)? = schema["$ref"], ref.hasPrefix("#/$defs/"), let target = definitions[String(ref.dropFirst(8))], hops < 16 {
            schema = target
            hops += 1
        }
        return schema
    }

    /// The set of JSON types a schema allows, when it says.
    static func types(_ schema: JSONValue) -> Set<String>? {
        switch schema["type"] {
        case .string(let type)?: [type]
        case .array(let types)?: Set(types.compactMap(\.stringValue))
        default: nil
        }
    }
}
