import CrossdockDomain
import Testing

@Suite("OrderIntake.check")
struct OrderIntakeCheckTests {
    typealias Line = OrderRequest.Line

    /// Runs `check` and returns the field errors, or `[]` when the request passes.
    func fieldErrors(
        _ request: OrderRequest,
        customer: Customer? = Fixture.customer(),
        products: [String: Product] = Fixture.products
    ) throws -> [IntakeError.FieldError] {
        do {
            try OrderIntake.check(request, customer: customer, products: products)
            return []
        } catch let error as IntakeError {
            #expect(error.code == "invalid_order")
            #expect(error.message == "The order request has \(error.errors.count) problem(s).")
            return error.errors
        }
    }

    func request(_ change: (inout OrderRequest) -> Void) -> OrderRequest {
        var request = Fixture.request()
        change(&request)
        return request
    }

    @Test func aWellFormedRequestPasses() throws {
        #expect(try fieldErrors(Fixture.request()).isEmpty)
        #expect(try fieldErrors(request { $0.shipToCode = "ST-CA" }).isEmpty)
        #expect(try fieldErrors(request { $0.requestedDate = nil }).isEmpty)
        #expect(try fieldErrors(request { $0.lines = [Line(lineNo: 10, sku: "A", quantity: 1, unitPrice: 0)] }).isEmpty)
    }

    @Test func emptyChannel() throws {
        #expect(try fieldErrors(request { $0.channel = "" }) == [.init(field: "channel", reason: "must not be empty")])
    }

    @Test func emptyExternalID() throws {
        #expect(try fieldErrors(request { $0.externalID = "" }) == [.init(field: "externalId", reason: "must not be empty")])
    }

    @Test func unknownCustomer() throws {
        let errors = try fieldErrors(request { $0.customerID = "C-404" }, customer: nil)
        #expect(errors == [.init(field: "customerId", reason: "unknown customer 'C-404'")])
    }

    @Test func unknownShipTo() throws {
        let errors = try fieldErrors(request { $0.shipToCode = "ST-??" })
        #expect(errors == [.init(field: "shipToCode", reason: "unknown ship-to 'ST-??' for this customer")])
    }

    @Test func customerWithoutShipToNeedsOne() throws {
        let errors = try fieldErrors(Fixture.request(), customer: Fixture.customer(shipTo: []))
        #expect(errors == [.init(field: "shipToCode", reason: "the customer has no ship-to address")])
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2023-02-28", "2024-12-31", "2024-01-01", "2023-04-30", "1999-11-30"])
    func acceptsCalendarDates(date: String) throws {
        #expect(try fieldErrors(request { $0.requestedDate = date }).isEmpty)
    }

    @Test(arguments: [
        "2023-02-29",  // not a leap year
        "1900-02-29",  // divisible by 100, not by 400
        "2100-02-29",
        "2024-02-30",
        "2024-04-31", "2024-06-31", "2024-09-31", "2024-11-31",
        "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
        "2024-1-05", "24-01-05", "2024-01-5", "2024/01/05", "2024-01-05T00:00:00Z", "20240105",
        "", "abcd-ef-gh", "2024-01-05-", "2024--01-05",
    ])
    func rejectsNonDates(date: String) throws {
        let errors = try fieldErrors(request { $0.requestedDate = date })
        #expect(errors == [.init(field: "requestedDate", reason: "must be a date YYYY-MM-DD")])
    }

    @Test func noLines() throws {
        #expect(try fieldErrors(request { $0.lines = [] }) == [.init(field: "lines", reason: "must have at least one line")])
    }

    @Test func atMostOneThousandLines() throws {
        let many = (1...1001).map { _ in Line(sku: "A", quantity: 1) }
        #expect(try fieldErrors(request { $0.lines = many }) == [.init(field: "lines", reason: "at most 1000 lines")])
        #expect(try fieldErrors(request { $0.lines = Array(many.dropLast()) }).isEmpty)
    }

    @Test(arguments: [0, -1, Int.min])
    func quantityMustBePositive(quantity: Int) throws {
        let errors = try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1), Line(sku: "A", quantity: quantity)] })
        #expect(errors == [.init(field: "lines[1].quantity", reason: "must be a positive integer")])
    }

    @Test func quantityAtMostOneMillion() throws {
        #expect(try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1_000_000)] }).isEmpty)
        let errors = try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1_000_001)] })
        #expect(errors == [.init(field: "lines[0].quantity", reason: "at most 1000000")])
    }

    @Test func negativePrice() throws {
        let errors = try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1, unitPrice: -1)] })
        #expect(errors == [.init(field: "lines[0].unitPrice", reason: "must not be negative")])
    }

    @Test func unknownSKU() throws {
        let errors = try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1), Line(sku: "ZZZ", quantity: 1)] })
        #expect(errors == [.init(field: "lines[1].sku", reason: "unknown SKU 'ZZZ'")])
    }

    @Test func lineNumberMustBePositive() throws {
        let errors = try fieldErrors(request { $0.lines = [Line(lineNo: 0, sku: "A", quantity: 1)] })
        #expect(errors == [.init(field: "lines[0].lineNo", reason: "must be positive")])
    }

    @Test func duplicateExplicitLineNumbers() throws {
        let errors = try fieldErrors(
            request {
                $0.lines = [Line(lineNo: 5, sku: "A", quantity: 1), Line(lineNo: 6, sku: "B", quantity: 1), Line(lineNo: 5, sku: "B", quantity: 1)]
            }
        )
        #expect(errors == [.init(field: "lines[2].lineNo", reason: "duplicate line number 5")])
    }

    @Test func implicitLineNumberCollidesWithExplicitOne() throws {
        // lines[0] is implicitly line 1.
        let errors = try fieldErrors(request { $0.lines = [Line(sku: "A", quantity: 1), Line(lineNo: 1, sku: "B", quantity: 1)] })
        #expect(errors == [.init(field: "lines[1].lineNo", reason: "duplicate line number 1")])
    }

    @Test func everyProblemIsReportedTogether() throws {
        let bad = OrderRequest(
            channel: "",
            externalID: "",
            customerID: "C-404",
            requestedDate: "2023-02-29",
            shipToCode: "ST-NY",
            lines: [
                Line(sku: "ZZZ", quantity: 0, unitPrice: -5),
                Line(lineNo: 1, sku: "A", quantity: 2),
            ]
        )
        let errors = try fieldErrors(bad, customer: nil)
        #expect(
            errors.map(\.field) == [
                "channel", "externalId", "customerId", "requestedDate",
                "lines[0].quantity", "lines[0].unitPrice", "lines[0].sku", "lines[1].lineNo",
            ]
        )
    }

    @Test func unknownShipToAndDateErrorsCombineWithLineErrors() throws {
        let errors = try fieldErrors(
            request {
                $0.shipToCode = "NOPE"
                $0.requestedDate = "2024-02-30"
                $0.lines = [Line(sku: "A", quantity: -3)]
            }
        )
        #expect(errors.map(\.field) == ["shipToCode", "requestedDate", "lines[0].quantity"])
    }

    @Test func errorIsTypedIntakeError() {
        #expect(throws: IntakeError.self) {
            try OrderIntake.check(Fixture.request(lines: []), customer: Fixture.customer(), products: Fixture.products)
        }
    }
}
