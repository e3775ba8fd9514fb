extension PurchaseOrder {
    /// The 850 (004010) structure the hub checks: every segment of the standard's heading, PO1 loop and summary that
    /// partners send in practice is placed; BEG, CUR, REF, PER, FOB, CSH, ITD, DTM, TD5, N1-N4, PO1, PID, PO4, CTT and
    /// AMT also have their elements checked (types, lengths, syntax notes).
    public static let schema = TransactionSetSchema(
        id: "850",
        functionalID: "PO",
        nodes: [
            .segment("BEG", mandatory: true, max: 1),
            .segment("CUR", mandatory: false, max: 1),
            .segment("REF", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("PER", mandatory: false, max: 3),
            .segment("TAX", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("FOB", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("CTP", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("PAM", mandatory: false, max: 10),
            .segment("CSH", mandatory: false, max: 5),
            .segment("TC2", mandatory: false, max: TransactionSetSchema.unbounded),
            .loop("SAC", mandatory: false, max: 25, [.segment("SAC", mandatory: true, max: 1), .segment("CUR", mandatory: false, max: 1)]),
            .segment("ITD", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("DIS", mandatory: false, max: 20),
            .segment("INC", mandatory: false, max: 1),
            .segment("DTM", mandatory: false, max: 10),
            .segment("LDT", mandatory: false, max: 12),
            .segment("LIN", mandatory: false, max: 5),
            .segment("SI", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("PID", mandatory: false, max: 200),
            .segment("MEA", mandatory: false, max: 40),
            .segment("PWK", mandatory: false, max: 25),
            .segment("PKG", mandatory: false, max: 200),
            .segment("TD1", mandatory: false, max: 2),
            .segment("TD5", mandatory: false, max: 12),
            .segment("TD3", mandatory: false, max: 12),
            .segment("TD4", mandatory: false, max: 5),
            .segment("MAN", mandatory: false, max: 10),
            .segment("PCT", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("CTB", mandatory: false, max: 5),
            .segment("TXI", mandatory: false, max: TransactionSetSchema.unbounded),
            .loop(
                "AMT",
                mandatory: false,
                max: TransactionSetSchema.unbounded,
                [.segment("AMT", mandatory: true, max: 1), .segment("REF", mandatory: false, max: 1)]
            ),
            .loop(
                "N9",
                mandatory: false,
                max: 1000,
                [.segment("N9", mandatory: true, max: 1), .segment("DTM", mandatory: false, max: 10), .segment("MSG", mandatory: false, max: 1000)]
            ),
            partyLoop(max: 200),
            .loop("PO1", mandatory: true, max: 100_000, lineNodes),
            .loop("CTT", mandatory: false, max: 1, [.segment("CTT", mandatory: true, max: 1), .segment("AMT", mandatory: false, max: 1)]),
        ],
        specs: specs
    )

    /// An N1 loop (N1, N2, N3, N4, REF, PER, FOB, TD1, TD5, TD3, TD4, PKG).
    static func partyLoop(max: Int) -> TransactionSetSchema.Node {
        .loop(
            "N1",
            mandatory: false,
            max: max,
            [
                .segment("N1", mandatory: true, max: 1), .segment("N2", mandatory: false, max: 2), .segment("N3", mandatory: false, max: 2),
                .segment("N4", mandatory: false, max: TransactionSetSchema.unbounded),
                .segment("NX2", mandatory: false, max: TransactionSetSchema.unbounded),
                .segment("REF", mandatory: false, max: 12), .segment("PER", mandatory: false, max: TransactionSetSchema.unbounded),
                .segment("SI", mandatory: false, max: TransactionSetSchema.unbounded), .segment("DTM", mandatory: false, max: 1),
                .segment("FOB", mandatory: false, max: 1), .segment("TD1", mandatory: false, max: 2), .segment("TD5", mandatory: false, max: 12),
                .segment("TD3", mandatory: false, max: 12), .segment("TD4", mandatory: false, max: 5), .segment("PKG", mandatory: false, max: 200),
            ]
        )
    }

    private static let lineNodes: [TransactionSetSchema.Node] = [
        .segment("PO1", mandatory: true, max: 1),
        .segment("LIN", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("SI", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("CUR", mandatory: false, max: 1),
        .segment("CN1", mandatory: false, max: 1),
        .segment("PO3", mandatory: false, max: 25),
        .loop(
            "CTP",
            mandatory: false,
            max: TransactionSetSchema.unbounded,
            [.segment("CTP", mandatory: true, max: 1), .segment("CUR", mandatory: false, max: 1)]
        ),
        .segment("PAM", mandatory: false, max: 10),
        .segment("MEA", mandatory: false, max: 40),
        .loop("PID", mandatory: false, max: 1000, [.segment("PID", mandatory: true, max: 1), .segment("MEA", mandatory: false, max: 10)]),
        .segment("PWK", mandatory: false, max: 25),
        .segment("PO4", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("REF", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("PER", mandatory: false, max: 3),
        .loop(
            "SAC",
            mandatory: false,
            max: 25,
            [.segment("SAC", mandatory: true, max: 1), .segment("CUR", mandatory: false, max: 1), .segment("CTP", mandatory: false, max: 1)]
        ),
        .segment("IT8", mandatory: false, max: 1),
        .segment("CSH", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("ITD", mandatory: false, max: 2),
        .segment("DIS", mandatory: false, max: 20),
        .segment("INC", mandatory: false, max: 1),
        .segment("TAX", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("FOB", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("SDQ", mandatory: false, max: 500),
        .segment("IT3", mandatory: false, max: 5),
        .segment("DTM", mandatory: false, max: 10),
        .segment("TC2", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("TD1", mandatory: false, max: 1),
        .segment("TD5", mandatory: false, max: 12),
        .segment("TD3", mandatory: false, max: 12),
        .segment("TD4", mandatory: false, max: 5),
        .segment("PCT", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("MAN", mandatory: false, max: 10),
        .segment("MSG", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("SPI", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("TXI", mandatory: false, max: TransactionSetSchema.unbounded),
        .segment("CTB", mandatory: false, max: TransactionSetSchema.unbounded),
        .loop(
            "SCH",
            mandatory: false,
            max: 200,
            [.segment("SCH", mandatory: true, max: 1), .segment("TD1", mandatory: false, max: 2), .segment("TD5", mandatory: false, max: 1)]
        ),
        .loop(
            "N9",
            mandatory: false,
            max: 1000,
            [.segment("N9", mandatory: true, max: 1), .segment("DTM", mandatory: false, max: 10), .segment("MSG", mandatory: false, max: 1000)]
        ),
        partyLoop(max: 200),
        .loop(
            "AMT",
            mandatory: false,
            max: TransactionSetSchema.unbounded,
            [.segment("AMT", mandatory: true, max: 1), .segment("REF", mandatory: false, max: 1)]
        ),
    ]

    /// PO1: PO102 quantity, PO103 unit, PO104 price, PO105 basis, PO106...PO125 ten qualifier/ID pairs.
    static let po1Spec = SegmentSpec(
        "PO1",
        [.o(350, .string, 1, 20), .o(330, .decimal, 1, 15), .o(355, .identifier, 2, 2), .o(212, .decimal, 1, 17), .o(639, .identifier, 2, 2)]
            + Array(repeating: [ElementSpec.o(235, .identifier, 2, 2), .o(234, .string, 1, 48)], count: 10).flatMap { $0 },
        rules: [.conditional(3, then: [2]), .conditional(5, then: [4])] + SyntaxRule.pairs(from: 6, through: 25)
    )

    /// Free-form text elements nobody checks, to pad entries whose tails the hub does not read.
    static func unchecked(_ count: Int) -> [ElementSpec] { Array(repeating: .o(0, .composite, 1, 1), count: count) }

    static let specs: [SegmentSpec] =
        [
            SegmentSpec(
                "BEG",
                [
                    .m(353, .identifier, 2, 2), .m(92, .identifier, 2, 2), .m(324, .string, 1, 22), .o(328, .string, 1, 30), .m(373, .date, 8, 8),
                    .o(367, .string, 1, 30), .o(587, .identifier, 2, 2), .o(1019, .identifier, 3, 3), .o(1166, .identifier, 2, 2),
                ] + unchecked(3)
            ),
            SegmentSpec("CUR", [.m(98, .identifier, 2, 3), .m(100, .identifier, 3, 3), .o(280, .decimal, 4, 10)] + unchecked(18)),
            Reference.spec, Contact.spec, DateReference.dtmSpec, po1Spec,
            SegmentSpec(
                "FOB",
                [
                    .m(146, .identifier, 2, 2), .o(309, .identifier, 1, 2), .o(352, .string, 1, 80), .o(334, .identifier, 2, 2),
                    .o(335, .identifier, 3, 3),
                    .o(309, .identifier, 1, 2), .o(352, .string, 1, 80), .o(54, .identifier, 1, 2), .o(352, .string, 1, 80),
                ],
                rules: [.conditional(3, then: [2]), .conditional(4, then: [5]), .conditional(7, then: [6]), .conditional(8, then: [9])]
            ),
            SegmentSpec(
                "CSH",
                [.o(563, .identifier, 1, 2), .o(306, .identifier, 1, 2), .o(610, .numeric(decimals: 2), 1, 15), .o(508, .string, 1, 35)]
                    + unchecked(7)
            ),
            SegmentSpec(
                "ITD",
                [
                    .o(336, .identifier, 2, 2), .o(333, .identifier, 1, 2), .o(338, .decimal, 1, 6), .o(370, .date, 8, 8),
                    .o(351, ElementSpec.n0, 1, 3),
                    .o(446, .date, 8, 8), .o(386, ElementSpec.n0, 1, 3), .o(362, .numeric(decimals: 2), 1, 10), .o(388, .date, 8, 8),
                    .o(389, ElementSpec.n0, 1, 3),
                    .o(342, .numeric(decimals: 2), 1, 10), .o(352, .string, 1, 80), .o(765, ElementSpec.n0, 1, 2), .o(107, .identifier, 1, 2),
                    .o(954, .decimal, 1, 10),
                ]
            ),
            SegmentSpec(
                "TD5",
                [.o(133, .identifier, 1, 2), .o(66, .identifier, 1, 2), .o(67, .string, 2, 80), .o(91, .identifier, 1, 2), .o(387, .string, 1, 35)]
                    + unchecked(10),
                rules: [.required(anyOf: [2, 4, 5, 6, 12]), .conditional(2, then: [3])]
            ),
            SegmentSpec(
                "PID",
                [
                    .m(349, .identifier, 1, 1), .o(750, .identifier, 2, 3), .o(559, .identifier, 2, 2), .o(751, .string, 1, 12),
                    .o(352, .string, 1, 80),
                    .o(752, .identifier, 2, 2), .o(822, .string, 1, 15), .o(1073, .identifier, 1, 1), .o(819, .identifier, 2, 3),
                ],
                rules: [
                    .conditional(4, then: [3]), .required(anyOf: [4, 5]), .conditional(7, then: [3]), .conditional(8, then: [4]),
                    .conditional(9, then: [5]),
                ]
            ),
            SegmentSpec(
                "PO4",
                [
                    .o(356, ElementSpec.n0, 1, 6), .o(357, .decimal, 1, 8), .o(355, .identifier, 2, 2), .o(103, .string, 3, 5),
                    .o(187, .identifier, 1, 2),
                    .o(384, .decimal, 1, 9), .o(355, .identifier, 2, 2), .o(385, .decimal, 1, 9), .o(355, .identifier, 2, 2), .o(82, .decimal, 1, 8),
                    .o(189, .decimal, 1, 8), .o(65, .decimal, 1, 8), .o(355, .identifier, 2, 2), .o(810, ElementSpec.n0, 1, 6),
                    .o(752, .identifier, 2, 2),
                    .o(350, .string, 1, 20), .o(350, .string, 1, 20), .o(1470, ElementSpec.n0, 1, 9),
                ],
                rules: [
                    .conditional(3, then: [2]), .conditional(5, then: [6]), .paired([6, 7]), .paired([8, 9]), .conditional(10, then: [13]),
                    .conditional(11, then: [13]), .conditional(12, then: [13]), .listConditional(13, anyOf: [10, 11, 12]),
                    .conditional(17, then: [16]),
                    .conditional(18, then: [4]),
                ]
            ),
            SegmentSpec(
                "CTT",
                [
                    .m(354, ElementSpec.n0, 1, 6), .o(347, .decimal, 1, 10), .o(81, .decimal, 1, 10), .o(355, .identifier, 2, 2),
                    .o(183, .decimal, 1, 8), .o(355, .identifier, 2, 2), .o(352, .string, 1, 80),
                ],
                rules: [.paired([3, 4]), .paired([5, 6])]
            ),
            SegmentSpec("AMT", [.m(522, .identifier, 1, 3), .m(782, .decimal, 1, 18), .o(478, .identifier, 1, 1)]),
        ] + Party.specs
}
