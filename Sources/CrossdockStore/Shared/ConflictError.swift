import Foundation

/// Thrown inside a unit's transaction (or savepoint) to roll it back and answer ``CommitOutcome/conflict(_:)``.
struct ConflictError: Error {
    let conflict: Conflict
}
