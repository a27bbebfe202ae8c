import DigiTagBase
import DigiTagIO
import Foundation

/// The tax-return calendar covered by `tax/filings`: the 24 months up to the as-of month, plus the
/// periods whose returns fall due within the 90 days after it (point-in-time rows).
///
/// VAT (and the urban maintenance tax filed with it) is monthly; corporate income tax, individual income
/// tax withheld or on business income, stamp duty and property tax are quarterly. Every return is due on
/// the 15th of the month after its period (holiday extensions are ignored).
struct FilingCalendar: Sendable {
    struct Period: Sendable {
        var year: Int
        var month: Int
        var start: Day
        var due: Day
    }

    let periods: [Period]

    init(asOf: Day, horizon: Day) {
        var periods: [Period] = []
        let (y, m, _) = asOf.civil
        var month = y * 12 + (m - 1) - 23
        while true {
            let year = month / 12
            let mon = month % 12 + 1
            let start = Day.clamped(year: year, month: mon, day: 1)
            let due = start.addingMonths(1).adding(days: 14)
            if due > horizon { break }
            periods.append(Period(year: year, month: mon, start: start, due: due))
            month += 1
        }
        self.periods = periods
    }
}

/// Writes one enterprise's tax returns: filed on time (in the first half of the month they are due),
/// late (days to weeks after the deadline), or missing (empty `filed_on`, amount 0). A dormant
/// enterprise stops filing altogether some months before its abnormal listing.
struct FilingsWriter {
    let context: GenerationContext
    let calendar: FilingCalendar
    let writer: CSVWriter
    private(set) var rows = 0

    init(context: GenerationContext, writer: CSVWriter) {
        self.context = context
        self.calendar = FilingCalendar(asOf: context.asOf, horizon: context.horizon)
        self.writer = writer
    }

    mutating func write(_ p: EnterpriseProfile) throws {
        var random = Random(seed: context.seed, key: UInt64(p.index), stream: .filings)
        let filesCIT = p.isCompany
        let filesIIT = p.baseEmployees > 0 || !p.isCompany
        let filesStamp = p.isCompany && random.chance(0.55)
        let filesProperty = random.chance(p.capitalCents >= 50_000 ? 0.5 : 0.12)
        let missingRate = min(0.5, p.risk.rate(0.002, elasticity: 1.3))
        let lateRate = min(0.6, p.risk.rate(0.012, elasticity: 1.0) * random.logNormal(median: 1, sigma: 0.4))
        let zeroRate =
            p.isShell || p.baseRevenue == 0 ? 0.95 : p.entityType == .individualBusiness ? 0.45 : 0.15
        let stopped = p.dormantListedOn.map { $0.addingMonths(-random.int(6...14)) }
        // Yuan a month.
        let monthlyRevenue = p.baseRevenue * 10_000 / 12
        let vatRate = random.uniform(0.01, 0.04)
        let urbanRate = context.regions.counties[p.county].isUrbanDistrict ? 0.07 : 0.05
        var missingStreak = false

        for period in calendar.periods {
            guard period.start <= p.end, period.start.addingMonths(1) > p.established else { continue }
            let quarterEnd = period.month % 3 == 0
            let inactive = stopped.map { period.start >= $0 } ?? false
            let revenue = random.chance(zeroRate) ? 0 : monthlyRevenue * random.logNormal(median: 1, sigma: 0.35)

            // Filed together or not at all on one due date: the enterprise's behaviour that month.
            let missing = inactive || random.chance(missingStreak ? 0.5 : missingRate)
            missingStreak = missing && !inactive
            let filedOn: Day?
            if missing {
                filedOn = nil
            } else if random.chance(lateRate) {
                filedOn = period.due.adding(days: 1 + min(120, Int(-log(1 - random.unit()) * 12)))
            } else {
                filedOn = Day.random(from: period.start.addingMonths(1), through: period.due, &random)
            }
            let vat = missing ? 0 : revenue * vatRate
            try row(p, .vat, period, filedOn, yuan: vat)
            // The surcharge return goes with every VAT return that has tax to pay, with some zero returns,
            // and is missed with a missed VAT return.
            if vat > 0 || random.chance(missing ? 0.7 : 0.25) {
                try row(p, .urbanMaintenance, period, filedOn, yuan: vat * urbanRate)
            }
            if quarterEnd {
                if filesCIT {
                    let profit = random.chance(0.4) ? 0 : revenue * 3 * random.uniform(0.01, 0.12)
                    try row(p, .cit, period, filedOn, yuan: missing ? 0 : profit * 0.25)
                }
                if filesIIT {
                    // Wages under the threshold and loss-making businesses declare zero.
                    let zero =
                        missing || revenue == 0 || p.baseEmployees == 0
                        || random.chance(p.baseEmployees < 10 ? 0.3 : 0.05)
                    let iit = Double(max(p.baseEmployees, 1)) * 3 * random.logNormal(median: 120, sigma: 0.7)
                    try row(p, .iit, period, filedOn, yuan: zero ? 0 : iit)
                }
                if filesStamp { try row(p, .stamp, period, filedOn, yuan: missing ? 0 : revenue * 3 * 0.0003) }
                if filesProperty {
                    let zero = missing || random.chance(0.1)
                    try row(p, .property, period, filedOn, yuan: zero ? 0 : random.logNormal(median: 3_000, sigma: 1))
                }
            }
        }
    }

    private mutating func row(
        _ p: EnterpriseProfile, _ type: TaxType, _ period: FilingCalendar.Period, _ filedOn: Day?, yuan: Double
    ) throws {
        writer.field(p.uscc)
        writer.code(type)
        writer.period(year: period.year, month: period.month)
        writer.date(period.due)
        writer.date(filedOn)
        writer.amount(cents: Int64((yuan * 100).rounded()))
        try writer.endRow()
        rows += 1
    }
}
