/// One row of a state machine: in `from`, `action` is allowed, leads to one of `to`, under `guard`, emitting
/// `emits`.
public struct Transition<State: Hashable & Sendable, Action: Hashable & Sendable>: Hashable, Sendable {
    /// The state the row applies to.
    public var from: State
    /// The action.
    public var action: Action
    /// The states the action can lead to (several when the result depends on quantities).
    public var to: Set<State>
    /// The condition checked besides the state, in words.
    public var guardDescription: String
    /// The events the action appends.
    public var emits: [EventType]

    /// Creates a row.
    /// - Parameters:
    ///   - from: the state.
    ///   - action: the action.
    ///   - to: the possible resulting states.
    ///   - guard: the extra condition, in words.
    ///   - emits: the events appended.
    public init(_ from: State, _ action: Action, to: Set<State>, guard: String = "", emits: [EventType]) {
        self.from = from
        self.action = action
        self.to = to
        self.guardDescription = `guard`
        self.emits = emits
    }
}

/// A state machine as one explicit table (state × action → states, guard, events). Anything not in the table is
/// illegal and is refused with ``IllegalTransition`` before anything changes.
public struct TransitionTable<State: Hashable & Sendable & RawRepresentable, Action: Hashable & Sendable & RawRepresentable>: Sendable
where State.RawValue == String, Action.RawValue == String {
    /// The machine's name, used in errors (`order`, `line`, `fulfillment_order`).
    public let machine: String
    /// Every row, in declaration order.
    public let transitions: [Transition<State, Action>]
    private let index: [State: [Action: Transition<State, Action>]]

    /// Creates a table; a (state, action) pair may appear once.
    /// - Parameters:
    ///   - machine: the name used in errors.
    ///   - transitions: the rows.
    public init(machine: String, _ transitions: [Transition<State, Action>]) {
        self.machine = machine
        self.transitions = transitions
        var index: [State: [Action: Transition<State, Action>]] = [:]
        for row in transitions {
            precondition(index[row.from]?[row.action] == nil, "duplicate row \(row.from.rawValue) × \(row.action.rawValue)")
            index[row.from, default: [:]][row.action] = row
        }
        self.index = index
    }

    /// The row for `action` in `state`, if it is allowed.
    public func transition(from state: State, on action: Action) -> Transition<State, Action>? {
        index[state]?[action]
    }

    /// The actions `state` allows, sorted by name.
    public func actions(from state: State) -> [Action] {
        (index[state] ?? [:]).keys.sorted { $0.rawValue < $1.rawValue }
    }

    /// The row for `action` in `state`.
    /// - Throws: ``IllegalTransition`` naming the state and the action when the table has no such row.
    @discardableResult
    public func check(_ state: State, _ action: Action) throws(IllegalTransition) -> Transition<State, Action> {
        guard let row = transition(from: state, on: action) else {
            throw IllegalTransition(
                machine: machine,
                currentStatus: state.rawValue,
                action: action.rawValue,
                allowedActions: actions(from: state).map(\.rawValue)
            )
        }
        return row
    }

    /// Whether the table allows `action` to take `state` to `result`.
    public func permits(_ state: State, _ action: Action, to result: State) -> Bool {
        transition(from: state, on: action)?.to.contains(result) ?? false
    }
}

/// An action the current state does not allow. Nothing changed.
public struct IllegalTransition: Error, Hashable, Sendable, CustomStringConvertible {
    /// `illegal_transition`.
    public var code: String { "illegal_transition" }
    /// The state machine (`order`, `line`, `fulfillment_order`, `return`).
    public var machine: String
    /// The state the aggregate is in.
    public var currentStatus: String
    /// The refused action.
    public var action: String
    /// What the state does allow.
    public var allowedActions: [String]

    /// Creates the error.
    public init(machine: String, currentStatus: String, action: String, allowedActions: [String]) {
        self.machine = machine
        self.currentStatus = currentStatus
        self.action = action
        self.allowedActions = allowedActions
    }

    /// A sentence naming the machine, the state and the action.
    public var message: String {
        let allowed = allowedActions.isEmpty ? "none" : allowedActions.joined(separator: ", ")
        return "\(machine) is \(currentStatus); '\(action)' is not allowed (allowed: \(allowed))"
    }

    public var description: String { message }
}
