import Foundation
import PropertyBased
import Testing

@testable import CrossdockEDI

/// Checks what must hold for any input: `parse` succeeds exactly when `validate` is empty, otherwise it throws the
/// first error; every error points at a segment that exists and at that segment's first byte.
/// - Returns: whether the invariants hold, and the errors.
@discardableResult
private func checkInvariants(_ text: String, _ context: @autoclosure () -> String) -> (ok: Bool, errors: [X12Error]) {
    let outcome = X12EnvelopeValidator.read(text)
    let errors = outcome.errors
    var parsed: X12Interchange?
    var thrown: X12Error?
    do { parsed = try X12Parser.parse(text) } catch { thrown = error }
    var ok = true
    if errors.isEmpty {
        ok = ok && parsed != nil && thrown == nil
    } else {
        ok = ok && thrown == errors.first
    }
    let bytes = Array(text.utf8)
    let segmentCount = max(1, outcome.segments.count)
    for error in errors {
        ok = ok && (1...segmentCount).contains(error.segmentPosition)
        ok = ok && (0...bytes.count).contains(error.byteOffset)
        ok = ok && (error.elementPosition ?? 1) >= 1
        ok = ok && !error.code.isEmpty && !error.message.isEmpty
        if !error.segmentID.isEmpty && error.code != "byte_order_mark" {
            let id = Array(error.segmentID.utf8)
            ok = ok && error.byteOffset + id.count <= bytes.count && Array(bytes[error.byteOffset..<(error.byteOffset + id.count)]) == id
        }
    }
    if !ok { Issue.record("invariant broken for \(context()): \(errors.map(\.description)) thrown \(String(describing: thrown))") }
    return (ok, errors)
}

/// Valid interchanges to mutate: the fixtures with several delimiter sets and line endings.
private let seeds: [String] = [Fixtures.purchaseOrder, Fixtures.shipNotice, Fixtures.twoGroups].flatMap { segments in
    [
        Fixtures.text(segments),
        Fixtures.text(segments, newline: false),
        Fixtures.render(segments, element: "|", component: ":", repetition: "!", terminator: "\n"),
        Fixtures.render(segments, element: "*", component: ">", terminator: "~", after: "\r\n"),
    ]
}

/// Applies one random edit: delete, duplicate, swap, insert a delimiter or digit, replace, truncate, or edit a count.
private func mutate<R: RandomNumberGenerator>(_ bytes: inout [UInt8], using rng: inout R) {
    let special: [UInt8] = Array("*>^~|:!\n\r 0123456789ISAGSTEIA".utf8)
    guard !bytes.isEmpty else {
        bytes.append(special[Int.random(in: 0..<special.count, using: &rng)])
        return
    }
    let i = Int.random(in: 0..<bytes.count, using: &rng)
    switch Int.random(in: 0..<9, using: &rng) {
    case 0: bytes.remove(at: i)
    case 1: bytes.insert(bytes[i], at: i)
    case 2: if i + 1 < bytes.count { bytes.swapAt(i, i + 1) }
    case 3: bytes.insert(special[Int.random(in: 0..<special.count, using: &rng)], at: i)
    case 4: bytes[i] = UInt8.random(in: 0...255, using: &rng)
    case 5: bytes.removeSubrange(i...)
    case 6:  // change a digit (counts, control numbers)
        if let digit = bytes.indices.filter({ ASCII.isDigit(bytes[$0]) }).randomElement(using: &rng) {
            bytes[digit] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng)
        }
    case 7:  // duplicate a line
        let start = bytes[..<i].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let end = bytes[i...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        bytes.insert(contentsOf: bytes[start..<end], at: start)
    default:  // delete a line
        let start = bytes[..<i].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let end = bytes[i...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        bytes.removeSubrange(start..<end)
    }
}

@Suite("X12 robustness")
struct FuzzTests {
    @Test(arguments: [UInt64(1), 7, 0xC0FFEE])
    func randomBytesNeverCrashOrHang(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let clock = ContinuousClock()
        var slowest = Duration.zero
        for round in 0..<2_000 {
            let count = Int.random(in: 0...300, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            let elapsed = clock.measure { checkInvariants(text, "seed \(seed) round \(round)") }
            slowest = max(slowest, elapsed)
        }
        #expect(slowest < .seconds(1))
    }

    @Test(arguments: [UInt64(2), 11, 0xBADC0DE])
    func randomSegmentsAfterAValidISANeverCrash(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let isa = Fixtures.purchaseOrder[0] + "~"
        let alphabet: [Character] = Array("**~~>^ \nGSTEIAN1REF0123456789")
        for round in 0..<2_000 {
            let tail = InterchangeGenerator.string(alphabet, 0...400, using: &rng)
            checkInvariants(isa + tail, "seed \(seed) round \(round)")
        }
    }

    @Test(arguments: [UInt64(3), 19, 0xFEED])
    func seededMutationsOfValidInterchanges(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let clock = ContinuousClock()
        var slowest = Duration.zero
        var rejected = 0
        for round in 0..<2_000 {
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &rng)].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &rng) { mutate(&bytes, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            var errors: [X12Error] = []
            let elapsed = clock.measure { errors = checkInvariants(text, "seed \(seed) round \(round)").errors }
            slowest = max(slowest, elapsed)
            if !errors.isEmpty { rejected += 1 }
        }
        #expect(slowest < .seconds(1))
        #expect(rejected > 1_000)  // most mutations break the envelope, and are caught
    }

    @Test func countEditsAreAlwaysCaught() throws {
        // Changing SE01, GE01 or IEA01 of a valid interchange is always an error at that element.
        for segments in [Fixtures.purchaseOrder, Fixtures.shipNotice, Fixtures.twoGroups] {
            for (index, segment) in segments.enumerated() where ["SE", "GE", "IEA"].contains(segment.components(separatedBy: "*")[0]) {
                var parts = segment.components(separatedBy: "*")
                let count = try #require(Int(parts[1]))
                for wrong in [count + 1, max(0, count - 1) == count ? count + 2 : count - 1, count + 10] {
                    parts[1] = String(wrong)
                    let errors = X12Parser.validate(Fixtures.text(Fixtures.replacing(segments, at: index + 1, with: parts.joined(separator: "*"))))
                    #expect(errors.count == 1)
                    #expect(errors.first?.segmentPosition == index + 1)
                    #expect(errors.first?.elementPosition == 1)
                }
            }
        }
    }

    @Test func propertyRandomMutationsKeepTheInvariants() async {
        await propertyCheck(count: 1_500, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &rng)].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &rng) { mutate(&bytes, using: &rng) }
            #expect(checkInvariants(String(decoding: bytes, as: UTF8.self), "generated seed \(seed)").ok)
        }
    }

    @Test func propertyParseOfSerializeIsIdentity() async throws {
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.int(in: 0...3), Gen.bool) { seed, set, newline in
            var rng = SplitMix64(seed: seed)
            let interchange = InterchangeGenerator.interchange(using: &rng)
            let serializer = X12Serializer(delimiters: InterchangeGenerator.delimiterSets[set], newlineAfterSegment: newline)
            let text = try serializer.serialize(interchange)
            #expect(try X12Parser.parse(text) == interchange, "seed \(seed) set \(set) newline \(newline)")
            #expect(try X12Tokenizer.tokenize(text).first?.elements.count == 16)
        }
    }

    @Test func roundTripWithAssignedControlNumbers() async throws {
        var rng = SplitMix64(seed: 99)
        let source = InMemoryControlNumberSource()
        for _ in 0..<200 {
            let interchange = InterchangeGenerator.interchange(using: &rng)
            let written = try await X12Serializer().serialize(interchange, assigningControlNumbersFrom: source)
            #expect(try X12Parser.parse(written.text) == written.interchange)
        }
    }
}
