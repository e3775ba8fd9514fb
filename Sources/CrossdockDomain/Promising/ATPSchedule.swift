/// Discrete-period available-to-promise with backward consumption and cumulative ATP (DOMAIN.md §3.1), for one
/// (warehouse, SKU) or, through ``network(_:today:horizonDays:)``, for a SKU across warehouses.
///
/// Period 1 starts `today` and its supply is what is available now plus every receipt due on or before today;
/// each later distinct receipt date inside the horizon starts a new period whose supply is that day's receipts.
/// Committed demand falls into the period containing its date. `ATP_k = supply_k − demand_k`; a negative period
/// borrows from the latest earlier periods that still have ATP, and what nothing covers is ``uncovered``.
/// `CATP_k = CATP_{k−1} + ATP_k`. Days are UTC calendar days.
public struct ATPSchedule: Hashable, Sendable, Codable {
    /// A quantity on a day: a receipt's remaining units or committed demand.
    public struct DatedQuantity: Hashable, Sendable, Codable {
        /// The day.
        public var date: BusinessDay
        /// Units.
        public var quantity: Int

        /// Creates a dated quantity.
        /// - Parameters:
        ///   - date: the day.
        ///   - quantity: units.
        public init(date: BusinessDay, quantity: Int) {
            self.date = date
            self.quantity = quantity
        }
    }

    /// What a schedule is computed from, for one (warehouse, SKU).
    public struct Input: Hashable, Sendable, Codable {
        /// Units available now (on hand − reserved − safety stock); negative values count as 0.
        public var availableNow: Int
        /// Expected receipts (open receipts' remaining units) by expected date; non-positive quantities are ignored.
        public var supplies: [DatedQuantity]
        /// Committed demand not yet allocated (backordered units promised for a date); non-positive quantities are ignored.
        public var demands: [DatedQuantity]

        /// Creates an input.
        /// - Parameters:
        ///   - availableNow: units available now, net of reservations and safety stock.
        ///   - supplies: expected receipts by expected date.
        ///   - demands: committed, unallocated demand by the date it is promised for.
        public init(
            availableNow: Int,
            supplies: [(date: BusinessDay, quantity: Int)] = [],
            demands: [(date: BusinessDay, quantity: Int)] = []
        ) {
            self.availableNow = availableNow
            self.supplies = supplies.map { DatedQuantity(date: $0.date, quantity: $0.quantity) }
            self.demands = demands.map { DatedQuantity(date: $0.date, quantity: $0.quantity) }
        }

        /// Creates the input of one balance: its ``InventoryBalance/availableToPromise`` now, plus the remaining
        /// units of the receipts for the same warehouse and SKU that are still open.
        /// - Parameters:
        ///   - balance: the (warehouse, SKU) balance.
        ///   - receipts: scheduled receipts; those of other warehouses or SKUs, and closed ones, are ignored.
        ///   - demands: committed, unallocated demand of this (warehouse, SKU) by date.
        public init(balance: InventoryBalance, receipts: [ScheduledReceipt], demands: [(date: BusinessDay, quantity: Int)] = []) {
            let supplies =
                receipts
                .filter { $0.warehouseID == balance.warehouseID && $0.sku == balance.sku && $0.remaining > 0 }
                .map { (date: $0.expectedDate, quantity: $0.remaining) }
            self.init(availableNow: balance.availableToPromise, supplies: supplies, demands: demands)
        }
    }

    /// One period: from ``start`` up to the day before the next period's start (the last period is open-ended).
    public struct Period: Hashable, Sendable, Codable {
        /// The first day of the period.
        public var start: BusinessDay
        /// Supply of the period: for the first, available now plus receipts due on or before today; later, that day's receipts.
        public var supply: Int
        /// Committed demand dated inside the period (or, for the first, on or before its end).
        public var demand: Int
        /// ATP after backward consumption; never negative.
        public var atp: Int
        /// Cumulative ATP: the sum of ``atp`` over this and every earlier period.
        public var cumulative: Int
        /// Demand of this period that neither its own supply nor any earlier period's ATP covers.
        public var uncovered: Int

        /// Creates a period.
        /// - Parameters:
        ///   - start: the first day.
        ///   - supply: the period's supply.
        ///   - demand: the period's committed demand.
        ///   - atp: ATP after backward consumption.
        ///   - cumulative: cumulative ATP.
        ///   - uncovered: demand left uncovered.
        public init(start: BusinessDay, supply: Int, demand: Int, atp: Int, cumulative: Int, uncovered: Int = 0) {
            self.start = start
            self.supply = supply
            self.demand = demand
            self.atp = atp
            self.cumulative = cumulative
            self.uncovered = uncovered
        }
    }

    /// The default horizon in days: receipts expected later than `today + 90` are ignored.
    public static let defaultHorizonDays = 90

    /// The longest horizon: 100 years. Longer horizons (e.g. `Int.max` for "every receipt") count as this.
    public static let maxHorizonDays = 36_525

    /// The first day of the schedule.
    public let today: BusinessDay
    /// Receipts expected after `today + horizonDays` are ignored; clamped to 0…``maxHorizonDays``.
    public let horizonDays: Int
    /// The periods in date order; the first starts `today`. Never empty for a computed schedule.
    public let periods: [Period]
    /// Committed units that no supply covers (overcommitted): the sum of the periods' ``Period/uncovered``.
    public let uncovered: Int

    /// Computes the schedule of one (warehouse, SKU).
    /// - Parameters:
    ///   - availableNow: units available now, net of reservations and safety stock; negative counts as 0.
    ///   - supplies: expected receipts by expected date; those before today count as due today.
    ///   - demands: committed, unallocated demand by date; dates before today fall into the first period.
    ///   - today: the first day of the schedule.
    ///   - horizonDays: receipts expected after `today + horizonDays` are ignored.
    public init(
        availableNow: Int,
        supplies: [(date: BusinessDay, quantity: Int)],
        demands: [(date: BusinessDay, quantity: Int)],
        today: BusinessDay,
        horizonDays: Int = defaultHorizonDays
    ) {
        self.init(Input(availableNow: availableNow, supplies: supplies, demands: demands), today: today, horizonDays: horizonDays)
    }

    /// Computes the schedule of one input.
    /// - Parameters:
    ///   - input: available now, receipts and committed demand.
    ///   - today: the first day of the schedule.
    ///   - horizonDays: receipts expected after `today + horizonDays` are ignored.
    public init(_ input: Input, today: BusinessDay, horizonDays: Int = defaultHorizonDays) {
        let horizon = min(max(0, horizonDays), Self.maxHorizonDays)
        let horizonEnd = today.adding(days: horizon)
        var receipts: [BusinessDay: Int] = [:]
        for supply in input.supplies where supply.quantity > 0 && supply.date <= horizonEnd {
            receipts[max(supply.date, today), default: 0] += supply.quantity
        }
        let starts = [today] + receipts.keys.filter { $0 > today }.sorted()
        var supply = starts.map { receipts[$0] ?? 0 }
        supply[0] += max(0, input.availableNow)
        var demand = [Int](repeating: 0, count: starts.count)
        for item in input.demands where item.quantity > 0 {
            demand[Self.index(containing: max(item.date, today), starts: starts) ?? 0] += item.quantity
        }

        // Backward consumption: a shortfall borrows from the latest earlier periods that still have ATP.
        var atp = zip(supply, demand).map { $0 - $1 }
        var shortfall = [Int](repeating: 0, count: starts.count)
        var withATP: [Int] = []  // indices of earlier periods with positive ATP, in date order
        for k in atp.indices {
            guard atp[k] < 0 else {
                if atp[k] > 0 { withATP.append(k) }
                continue
            }
            var need = -atp[k]
            atp[k] = 0
            while need > 0, let lender = withATP.last {
                let taken = min(atp[lender], need)
                atp[lender] -= taken
                need -= taken
                if atp[lender] == 0 { withATP.removeLast() }
            }
            shortfall[k] = need
        }

        var cumulative = 0
        var periods: [Period] = []
        periods.reserveCapacity(starts.count)
        for k in starts.indices {
            cumulative += atp[k]
            periods.append(
                Period(start: starts[k], supply: supply[k], demand: demand[k], atp: atp[k], cumulative: cumulative, uncovered: shortfall[k])
            )
        }
        self.today = today
        self.horizonDays = horizon
        self.periods = periods
        self.uncovered = shortfall.reduce(0, +)
    }

    /// The schedule of a SKU across a network: the inputs of its warehouses summed (available now added up,
    /// receipts and demand pooled), so one warehouse's stock may cover another's commitments.
    /// - Parameters:
    ///   - inputs: one input per warehouse; each one's negative available-now counts as 0.
    ///   - today: the first day of the schedule.
    ///   - horizonDays: receipts expected after `today + horizonDays` are ignored.
    public static func network(_ inputs: [Input], today: BusinessDay, horizonDays: Int = defaultHorizonDays) -> ATPSchedule {
        var total = Input(availableNow: 0)
        for input in inputs {
            total.availableNow += max(0, input.availableNow)
            total.supplies += input.supplies
            total.demands += input.demands
        }
        return ATPSchedule(total, today: today, horizonDays: horizonDays)
    }

    /// The last day whose receipts count: `today + horizonDays`.
    public var horizonEnd: BusinessDay {
        today.adding(days: horizonDays)
    }

    /// The period that contains `day`; nil before today.
    /// - Parameters:
    ///   - day: a day.
    public func period(containing day: BusinessDay) -> Period? {
        Self.index(containing: day, starts: periods.map(\.start)).map { periods[$0] }
    }

    /// Units that can still be promised for `day`: the cumulative ATP of the period containing it; 0 before today.
    /// - Parameters:
    ///   - day: a day.
    public func availableOn(_ day: BusinessDay) -> Int {
        period(containing: day)?.cumulative ?? 0
    }

    /// The earliest day on which `quantity` units can be promised complete, on or after the requested day.
    ///
    /// With `earliest = max(requested ?? today, today)`: `earliest` itself when the cumulative ATP of the period
    /// containing it is at least `quantity`; otherwise the start of the first later period whose cumulative ATP is
    /// at least `quantity`; nil ("no promise") when no period does.
    /// - Parameters:
    ///   - quantity: units wanted; 0 or less is always promisable on `earliest`.
    ///   - requested: the day the customer wants them; today when nil or earlier.
    public func promiseDate(for quantity: Int, requested: BusinessDay?) -> BusinessDay? {
        let earliest = max(requested ?? today, today)
        guard let first = Self.index(containing: earliest, starts: periods.map(\.start)) else { return nil }
        if periods[first].cumulative >= quantity { return earliest }
        return periods[(first + 1)...].first { $0.cumulative >= quantity }?.start
    }

    /// The index of the last start on or before `day` in ascending `starts`; nil when `day` precedes them all.
    private static func index(containing day: BusinessDay, starts: [BusinessDay]) -> Int? {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= day { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}
