/// Where each group and set of an interchange starts and ends, so envelope errors can be assigned to the set, group or
/// interchange they belong to. Follows the envelope validator's rules: an ST outside a group is skipped, a missing
/// trailer closes the set or group before the next envelope segment.
struct EnvelopeLayout {
    struct Set {
        var st: Int
        var end: Int
    }

    struct Group {
        var gs: Int
        var end: Int
        var ge01: Int?
        var sets: [Set]
    }

    enum Place {
        case set(Int, Int)
        case group(Int)
        case interchange
    }

    var groups: [Group] = []

    init(_ segments: [X12Segment]) {
        var group: Group?
        var openSet: Int?
        var orphan = false
        func closeSet(at end: Int) {
            if let st = openSet { group?.sets.append(Set(st: st, end: end)) }
            openSet = nil
        }
        func closeGroup(at end: Int) {
            closeSet(at: end)
            if var g = group {
                g.end = end
                groups.append(g)
            }
            group = nil
        }
        for segment in segments.dropFirst() {
            let p = segment.position?.segment ?? 0
            switch segment.id {
            case "GS":
                orphan = false
                closeGroup(at: p - 1)
                group = Group(gs: p, end: p, ge01: nil, sets: [])
            case "ST":
                orphan = group == nil
                closeSet(at: p - 1)
                if !orphan { openSet = p }
            case "SE":
                if orphan { orphan = false } else { closeSet(at: p) }
            case "GE":
                orphan = false
                group?.ge01 = segment.value(1).flatMap(ASCII.number)
                closeGroup(at: p)
            case "IEA":
                closeGroup(at: p - 1)
            default:
                break
            }
        }
        closeGroup(at: segments.last?.position?.segment ?? 0)
    }

    func place(_ position: Int) -> Place {
        for (g, group) in groups.enumerated() where position >= group.gs && position <= group.end {
            for (s, set) in group.sets.enumerated() where position >= set.st && position <= set.end { return .set(g, s) }
            return .group(g)
        }
        return .interchange
    }
}
