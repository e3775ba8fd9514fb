/// Matches segment IDs against a ``TransactionSetSchema``'s nodes, level by level, as X12 parsers do: a segment
/// continues the current level if it appears at or after the current node, else it closes loops until a level accepts
/// it. Mandatory nodes skipped on the way are reported missing.
struct SchemaWalker {
    enum Result {
        /// Accepted, in the named loop (or the set's top level).
        case matched(loop: String?)
        /// Accepted, but the segment or loop exceeds its maximum.
        case overMaximum(loop: String?, isLoop: Bool)
        /// Not accepted anywhere from the current place; the state is unchanged.
        case notFound
    }

    struct Missing {
        var id: String
        var loop: String?
    }

    private struct Frame {
        var nodes: [TransactionSetSchema.Node]
        var loop: String?
        var index: Int
        var uses: Int
    }

    private var stack: [Frame]

    init(nodes: [TransactionSetSchema.Node]) {
        stack = [Frame(nodes: nodes, loop: nil, index: 0, uses: 0)]
    }

    /// Places one segment.
    mutating func visit(_ id: String) -> (result: Result, missing: [Missing]) {
        for level in stack.indices.reversed() {
            let frame = stack[level]
            // Inside a loop the trigger (node 0) starts the next repetition, which the parent level handles.
            let start = level > 0 ? max(frame.index, 1) : frame.index
            guard start < frame.nodes.count else { continue }
            for j in start..<frame.nodes.count where frame.nodes[j].trigger == id {
                var missing: [Missing] = []
                while stack.count > level + 1 { missing += close(stack.removeLast()) }
                missing += skipped(in: stack[level], upTo: j)
                let node = frame.nodes[j]
                let uses = j == frame.index ? frame.uses + 1 : 1
                stack[level].index = j
                stack[level].uses = uses
                if case .loop(let name, _, _, let children) = node {
                    stack.append(Frame(nodes: children, loop: name, index: 0, uses: 1))
                    return (uses > node.max ? .overMaximum(loop: name, isLoop: true) : .matched(loop: name), missing)
                }
                return (uses > node.max ? .overMaximum(loop: frame.loop, isLoop: false) : .matched(loop: frame.loop), missing)
            }
        }
        return (.notFound, [])
    }

    /// Closes every level at SE; the mandatory nodes never reached.
    mutating func finish() -> [Missing] {
        var missing: [Missing] = []
        while let frame = stack.popLast() { missing += close(frame) }
        return missing
    }

    private func close(_ frame: Frame) -> [Missing] {
        skipped(in: frame, upTo: frame.nodes.count)
    }

    /// Mandatory nodes from the current one (if unused) up to, not including, `end`.
    private func skipped(in frame: Frame, upTo end: Int) -> [Missing] {
        guard frame.index < end else { return [] }
        return (frame.index..<end).compactMap { k in
            let node = frame.nodes[k]
            let used = k == frame.index && frame.uses > 0
            return node.isMandatory && !used ? Missing(id: node.trigger, loop: frame.loop) : nil
        }
    }
}
