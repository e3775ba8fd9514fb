import ArgumentParser
import CrossdockEDI
import CrossdockEngine
import CrossdockStore
import Foundation

extension EDI {
    /// `crossdock edi render`.
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the outbound X12 document for a shipment (856), an invoice (810) or a fulfilment order (940).",
            discussion: """
                Reads the database and the X12 partner the document goes to (the order's EDI customer, or the 3PL that \
                operates the warehouse) and prints the interchange. By default it is a preview numbered 1 that changes \
                nothing; --issue takes the partner's next control numbers, records the document and queues it for \
                delivery to the partner's endpoint, once (a document already issued is refused: replay its delivery \
                instead).
                """
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "The shipment to write an 856 for.")
        var shipment: String?
        @Option(help: "The invoice to write an 810 for.")
        var invoice: String?
        @Option(help: "The fulfilment order to write a 940 for.")
        var fulfillment: String?
        @Option(help: "Only for this X12 partner.")
        var partner: String?
        @Flag(help: "Issue the document (persisted control numbers, delivery) instead of previewing it.")
        var issue = false

        func validate() throws {
            let given = [shipment, invoice, fulfillment].compactMap { $0 }
            guard given.count == 1 else { throw ValidationError("give exactly one of --shipment, --invoice, --fulfillment") }
        }

        func run() async throws {
            let subject: EDIOutbound.Subject =
                if let shipment { .shipment(shipment) } else if let invoice { .invoice(invoice) } else { .fulfillment(fulfillment ?? "") }
            let (partner, issue) = (partner, issue)
            let text = try await database.withStore { store in try await Self.render(subject, partner: partner, issue: issue, store: store) }
            print(text)
        }

        /// The document's X12: a preview with placeholder control numbers, or the issued interchange.
        private static func render(_ subject: EDIOutbound.Subject, partner: String?, issue: Bool, store: any Store) async throws -> String {
            let outbound = EDIOutbound(store: store)
            var partners = try await PartnerDirectory(store: store).tradingPartners()
            if let partner { partners = partners.filter { $0.id == partner } }
            let found = try await outbound.documents(for: subject, partners: partners)
            guard let (target, documents) = found.first else {
                throw ValidationError(
                    "no X12 partner\(partner.map { " \($0)" } ?? "") takes a document for \(subject); check the order's channel and the partner's outbound sets"
                )
            }
            guard issue else {
                let interchange = target.interchange(
                    functionalID: X12FunctionalGroup.functionalIdentifierCode(forSet: documents[0].set.id) ?? "",
                    sets: documents.map(\.set),
                    at: Date()
                )
                FileHandle.standardError.write(Data("preview for \(target.id): control numbers are placeholders; --issue sends it\n".utf8))
                return try target.serializer.serialize(interchange)
            }
            do {
                let issued = try await EDIIssuer(source: StoreControlNumberSource(store: store)).issue(
                    documents,
                    to: target,
                    now: Date(),
                    correlationID: documents[0].orderID ?? documents[0].reference,
                    causationID: nil,
                    makeID: IDs.make
                )
                var unit = UnitOfWork()
                unit.ediOutbound = [issued.write]
                unit.events = [issued.event]
                if case .conflict(let conflict) = try await store.commit(unit) {
                    throw ValidationError("not issued: \(conflict); replay its delivery with crossdock dlq or crossdock replay")
                }
                return issued.text
            }
        }
    }
}
