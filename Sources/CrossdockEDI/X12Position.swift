/// Where a segment was read: its 1-based index in the interchange (ISA is 1) and the byte offset of its first byte in
/// the UTF-8 text.
public struct X12Position: Hashable, Sendable {
    /// The 1-based index of the segment in the interchange.
    public var segment: Int
    /// The 0-based offset of the segment's first byte in the UTF-8 text.
    public var byteOffset: Int

    /// Creates a position.
    /// - Parameters:
    ///   - segment: the 1-based segment index.
    ///   - byteOffset: the 0-based byte offset.
    public init(segment: Int, byteOffset: Int) {
        self.segment = segment
        self.byteOffset = byteOffset
    }
}
