extension OutboundMappingError {
    /// The error as the inbound pipeline's rejection (a mapping error: no AK304/AK403 codes), placed at the first
    /// segment of the set with ``segmentID`` (ST = 1), or at ST when it names none.
    /// - Parameter set: the set that was being decoded.
    public func rejection(in set: X12TransactionSet) -> X12SetRejection {
        let index = segmentID.flatMap { id in set.segments.firstIndex { $0.id == id } }
        return X12SetRejection([
            X12SetError(code: code, message: message, segmentID: segmentID ?? "ST", setPosition: index.map { $0 + 2 } ?? 1)
        ])
    }
}
