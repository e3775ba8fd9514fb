/// ISA15: whether the interchange is production, test or information data.
public enum X12UsageIndicator: String, Hashable, Sendable, CaseIterable {
    /// `P`: production data.
    case production = "P"
    /// `T`: test data.
    case test = "T"
    /// `I`: information only.
    case information = "I"
}
