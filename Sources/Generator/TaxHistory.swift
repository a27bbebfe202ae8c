import DigiTagBase
import Foundation

/// Tax records other than filings: violations, arrears and the yearly credit rating.
extension HistoryBuilder {
    /// Tax violations by kind, each with its own sensitivity to risk: late payment is common and mildly
    /// risk-driven; invoice fraud (虚开发票) is rare and concentrated on the riskiest and on shells.
    mutating func buildTaxViolations(_ p: EnterpriseProfile, _ random: inout Random) {
        let start = max(p.established.adding(days: 90), Day.clamped(year: 2015, month: 1, day: 1))
        let noise = random.logNormal(median: 1, sigma: 0.5)
        let kinds: [(TaxViolationKind, Double, Double, Double)] = [
            (.latePayment, 0.026, 0.9, 2_000), (.falseDeclaration, 0.003, 1.2, 10_000),
            (.evasion, 0.0008, 1.4, 150_000), (.invoiceFraud, p.isShell ? 0.002 : 0.0003, 1.7, 400_000),
            (.obstruction, 0.0003, 1.3, 5_000),
        ]
        for (kind, base, elasticity, median) in kinds {
            for day in eventDays(
                perYear: p.risk.rate(base, elasticity: elasticity) * noise, from: start, through: p.end, &random)
            {
                history.violations.append(
                    .init(decidedOn: day, kind: kind, amount: amount(median: median, sigma: 1.2, &random)))
            }
        }
    }

    /// Tax owed after its due date (欠税) over the last five years, around 1% of a year's turnover;
    /// arrears arise the day after a 15th-of-the-month deadline. A dormant enterprise leaves arrears it
    /// never clears.
    mutating func buildArrears(_ p: EnterpriseProfile, _ random: inout Random) {
        let start = max(p.established.adding(days: 60), context.asOf.addingMonths(-60))
        var days = eventDays(
            perYear: p.risk.rate(0.012, elasticity: 1.2) * random.logNormal(median: 1, sigma: 0.5), from: start,
            through: p.end, &random)
        if let listed = p.dormantListedOn, random.chance(0.5) {
            let day = listed.addingMonths(-random.int(2...10))
            if day >= start && day <= p.end { days.append(day) }
        }
        for day in days {
            let (y, m, _) = day.civil
            let arose = Day.clamped(year: y, month: m, day: 16)
            guard arose <= p.end else { continue }
            let taxType = [TaxType.vat, .cit, .urbanMaintenance, .iit, .stamp, .property][
                random.weighted([0.5, 0.15, 0.1, 0.08, 0.07, 0.1])]
            let neverCleared = p.dormantListedOn.map { arose >= $0.addingMonths(-12) } ?? false
            let cleared =
                !neverCleared && random.chance(0.65) ? known(arose.adding(days: random.int(5...300))) : nil
            history.arrears.append(
                .init(
                    taxType: taxType, amount: amount(median: max(5_000, p.baseRevenue * 100), sigma: 1.6, &random),
                    aroseOn: arose,
                    clearedOn: cleared.flatMap { $0 <= p.end ? $0 : nil }))
        }
    }

    /// Yearly tax credit ratings, published in April of the following year. A new enterprise's first
    /// year and years without revenue are M; a dormant (非正常户) enterprise is mostly D; otherwise the
    /// rating follows risk with year-to-year persistence. Evasion or invoice fraud turns the rating to D
    /// at once: a re-rating is published a few weeks after the decision, sometimes after the as-of date.
    mutating func buildRatings(_ p: EnterpriseProfile, _ random: inout Random) {
        let firstYear = max(p.established.year + 1, GenerationContext.firstRatingYear)
        let lastYear = context.asOf.year - 1
        guard firstYear <= lastYear else { return }
        let weights: [Double]
        switch p.risk.level {
        case .low: weights = [0.28, 0.668, 0, 0.05, 0.002]
        case .medium: weights = [0.10, 0.65, 0, 0.24, 0.01]
        case .high: weights = [0.02, 0.49, 0, 0.46, 0.03]
        case .veryHigh: weights = [0, 0.25, 0, 0.45, 0.30]
        }
        var previous: TaxRating?
        for year in firstYear...lastYear {
            let published = Day.clamped(year: year + 1, month: 4, day: random.int(10...30))
            guard published <= p.end else { break }
            let rating: TaxRating
            let serious = history.violations.contains {
                ($0.kind == .evasion || $0.kind == .invoiceFraud) && $0.decidedOn.year == year
            }
            if let dormant = p.dormantFromYear, year >= dormant {
                rating = random.chance(0.25) ? .d : .m
            } else if serious {
                rating = .d
            } else if year == p.established.year + 1 {
                rating = .m
            } else if let report = history.annualReports.first(where: { $0.year == year }), report.revenue == 0 {
                rating = .m
            } else if let previous, previous != .m, random.chance(0.65) {
                rating = previous
            } else {
                rating = [TaxRating.a, .b, .m, .c, .d][random.weighted(weights)]
            }
            previous = rating
            history.ratings.append(
                .init(year: year, rating: rating, score: HistoryBuilder.score(rating, &random), publishedOn: published))
        }
        // Dynamic downgrade to D after serious violations decided since the last publication.
        for violation in history.violations where violation.kind == .evasion || violation.kind == .invoiceFraud {
            let published = violation.decidedOn.adding(days: random.int(10...60))
            let year = min(violation.decidedOn.year - 1, lastYear)
            guard year >= firstYear, published <= p.end,
                let current = history.ratings.last(where: { $0.year == year }),
                current.publishedOn < violation.decidedOn,
                current.rating != .d
            else { continue }
            history.ratings.append(
                .init(year: year, rating: .d, score: HistoryBuilder.score(.d, &random), publishedOn: published))
        }
    }

    /// Scores consistent with the rating bands: A ≥ 90, B 70–89, C 40–69, D < 40; M has none.
    static func score(_ rating: TaxRating, _ random: inout Random) -> Int? {
        switch rating {
        case .a: return random.int(90...100)
        case .b: return random.int(70...89)
        case .c: return random.int(40...69)
        case .d: return random.int(5...39)
        case .m: return nil
        }
    }
}
