import ArgumentParser
import CrossdockStore

/// `crossdock secrets`: the encryption of stored secrets.
struct Secrets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the encryption of stored subscription and partner secrets.",
        discussion: """
            Secrets are encrypted with CROSSDOCK_SECRET_KEY (the base64 of 32 bytes: openssl rand -base64 32). To rotate \
            it: give every node the new key as CROSSDOCK_SECRET_KEY and the old one as CROSSDOCK_SECRET_KEY_PREVIOUS, \
            run `crossdock secrets rotate`, then drop CROSSDOCK_SECRET_KEY_PREVIOUS.
            """,
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every stored secret with CROSSDOCK_SECRET_KEY, in one transaction.",
            discussion: """
                Each secret is opened with the key it names (CROSSDOCK_SECRET_KEY or CROSSDOCK_SECRET_KEY_PREVIOUS) or read \
                as plain text (written before a key was set), and written again under CROSSDOCK_SECRET_KEY. Secrets already \
                under it are left alone, so a second run changes nothing. Prints counts, never secrets. If any secret does \
                not open, nothing is written and the error names its subscription or partner and the key it needs.
                """
        )

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let secrets = try await Settings.load().secretBox()
            guard let id = secrets.keyID else {
                throw ValidationError(
                    "CROSSDOCK_SECRET_KEY is not set: there is no key to encrypt with (generate one with `openssl rand -base64 32`)"
                )
            }
            let count = try await database.withStore { try await $0.resealSecrets() }
            print(
                "re-encrypted \(count.subscriptionSecrets) subscription secret(s) and \(count.partnerSecrets) partner secret(s) with key \(id); "
                    + "\(count.unchanged) already were"
            )
            if count.skipped > 0 {
                print("left \(count.skipped) expired previous subscription secret(s) that no configured key opens (never used again)")
            }
        }
    }
}
