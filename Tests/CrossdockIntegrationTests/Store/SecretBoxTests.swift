import CrossdockStore
import Foundation
import Testing

/// The box stored secrets are encrypted with: AES-256-GCM under the environment's key, bound to the row.
@Suite struct SecretBoxTests {
    /// A fresh key as `openssl rand -base64 32` prints it.
    static func newKey() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    let secret = "whsec_" + Data(repeating: 0x5a, count: 24).base64EncodedString()

    @Test func aSealedSecretIsVersionedCiphertextThatOpensToTheSecret() throws {
        let box = try SecretBox(key: Self.newKey())
        let id = try #require(box.keyID)
        #expect(id.count == 8 && id.allSatisfy(\.isHexDigit))
        let sealed = box.seal(secret, for: .subscription("sub_1"))
        #expect(sealed.hasPrefix("enc:v1:\(id):"))
        #expect(!sealed.contains(secret))
        #expect(box.seal(secret, for: .subscription("sub_1")) != sealed, "a fresh nonce each time")
        #expect(try box.open(sealed, for: .subscription("sub_1")) == secret)
        #expect(box.isCurrent(sealed))
        #expect(try box.resealed(sealed, for: .subscription("sub_1")) == nil, "already under the current key")
    }

    @Test func theKeyIdIsTheFirstFourBytesOfTheKeysSHA256() throws {
        let key = Data(repeating: 1, count: 32)
        let box = try SecretBox(key: key.base64EncodedString())
        // sha256 of 32 bytes of 0x01, first 4 bytes.
        #expect(box.keyID == "72cd6e84")
    }

    @Test func plaintextPassesThroughAndWithoutAKeyNothingIsEncrypted() throws {
        let box = try SecretBox(key: Self.newKey())
        #expect(try box.open(secret, for: .subscription("sub_1")) == secret, "a legacy plaintext value reads as it is")
        #expect(!box.isCurrent(secret))
        let plain = try SecretBox(key: nil, previousKey: "")
        #expect(!plain.encrypts && plain.keyID == nil)
        #expect(plain.seal(secret, for: .subscription("sub_1")) == secret)
        #expect(plain.isCurrent(secret))
    }

    @Test func anotherKeyCannotOpenItAndTheErrorNamesOwnerAndKeyButNoSecret() throws {
        let sealer = try SecretBox(key: Self.newKey())
        let sealed = sealer.seal(secret, for: .subscription("sub_1"))
        let other = try SecretBox(key: Self.newKey())
        let error = try #require(throws: SecretError.self) { try other.open(sealed, for: .subscription("sub_1")) }
        #expect(error.code == .keyMissing)
        #expect(error.message.contains("subscription sub_1"))
        #expect(error.message.contains(try #require(sealer.keyID)), "names the key it needs")
        #expect(error.message.contains(try #require(other.keyID)), "and the key that is configured")
        #expect(!error.description.contains(secret) && !error.description.contains(sealed))
        let none = try #require(throws: SecretError.self) { try SecretBox.plaintext.open(sealed, for: .subscription("sub_1")) }
        #expect(none.code == .keyMissing)
        #expect(none.message.contains("no CROSSDOCK_SECRET_KEY is set"))
    }

    @Test func aCiphertextMovedToAnotherRowOrAlteredDoesNotOpen() throws {
        let box = try SecretBox(key: Self.newKey())
        let sealed = box.seal(secret, for: .subscription("sub_1"))
        let moved = try #require(throws: SecretError.self) { try box.open(sealed, for: .subscription("sub_2")) }
        #expect(moved.code == .unreadable)
        #expect(moved.message.contains("subscription sub_2"))
        let member = box.seal(secret, for: .partner("acme", member: "webhookSecret"))
        #expect(throws: SecretError.self) { try box.open(member, for: .partner("acme", member: "endpointSecret")) }
        #expect(throws: SecretError.self) { try box.open(member, for: .partner("other", member: "webhookSecret")) }
        var bytes = Array(sealed.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let altered = try #require(throws: SecretError.self) { try box.open(String(decoding: bytes, as: UTF8.self), for: .subscription("sub_1")) }
        #expect(altered.code == .unreadable)
        #expect(throws: SecretError.self) { try box.open("enc:v2:whatever", for: .subscription("sub_1")) }
    }

    @Test func thePreviousKeyOpensButOnlyTheCurrentOneSeals() throws {
        let (old, new) = (Self.newKey(), Self.newKey())
        let before = try SecretBox(key: old)
        let sealed = before.seal(secret, for: .subscription("sub_1"))
        let rotating = try SecretBox(key: new, previousKey: old)
        #expect(rotating.previousKeyID == before.keyID)
        #expect(try rotating.open(sealed, for: .subscription("sub_1")) == secret)
        #expect(!rotating.isCurrent(sealed))
        let resealed = try #require(try rotating.resealed(sealed, for: .subscription("sub_1")))
        #expect(resealed.hasPrefix("enc:v1:\(try #require(rotating.keyID)):"))
        #expect(try SecretBox(key: new).open(resealed, for: .subscription("sub_1")) == secret, "the new key alone opens it")
        #expect(throws: SecretError.self) { try before.open(resealed, for: .subscription("sub_1")) }
    }

    @Test func aMalformedKeyIsRefusedWithoutEchoingIt() throws {
        let notBase64 = "this is not base64 at all!"
        let short = Data(repeating: 9, count: 16).base64EncodedString()
        let cases: [(key: String?, previous: String?, variable: String, says: String, value: String)] = [
            (notBase64, nil, "CROSSDOCK_SECRET_KEY", "not valid base64", notBase64),
            (short, nil, "CROSSDOCK_SECRET_KEY", "exactly 32 bytes, not 16", short),
            (Self.newKey(), short, "CROSSDOCK_SECRET_KEY_PREVIOUS", "exactly 32 bytes, not 16", short),
            (nil, Self.newKey(), "CROSSDOCK_SECRET_KEY_PREVIOUS", "is set but CROSSDOCK_SECRET_KEY is not", ""),
        ]
        for item in cases {
            let error = try #require(throws: SecretError.self) { try SecretBox(key: item.key, previousKey: item.previous) }
            #expect(error.code == .invalidKey)
            #expect(error.message.contains(item.variable), "\(error)")
            #expect(error.message.contains(item.says), "\(error)")
            if !item.value.isEmpty { #expect(!error.description.contains(item.value)) }
        }
        #expect(try SecretBox(key: " \(Self.newKey())\n").encrypts, "surrounding white space (a trailing newline) is ignored")
    }
}
