import DataContract
import DigiTagBase
import DigiTagIO
import Foundation

/// Market-supervision records: annual reports, complaints, inspections, the abnormal-operation list,
/// penalties and licences.
extension HistoryBuilder {
    /// One row per filed report. Reports for year Y are due by 30 June of Y+1; a late one is filed in
    /// the second half of Y+1. A dormant enterprise files nothing from its dormancy year on; a revoked or
    /// cancelled one nothing after its status date; an operating one now and then misses a year (recorded
    /// in `missedReportYears` for the abnormal list). Early filers of the as-of year's report land after
    /// the as-of date (point-in-time rows).
    mutating func buildAnnualReports(_ p: EnterpriseProfile, _ random: inout Random) {
        let firstYear = max(p.established.year, GenerationContext.firstReportYear)
        guard firstYear <= context.asOf.year else { return }
        let lateRate = min(0.6, p.risk.rate(0.055, elasticity: 0.7) * random.logNormal(median: 1, sigma: 0.4))
        let unpublishedRate = min(0.5, p.risk.rate(0.03, elasticity: 0.8))
        let zeroRevenueRate = p.isShell ? 0.9 : min(0.5, p.risk.rate(0.035, elasticity: 0.6))
        let growth = random.logNormal(median: 1.05, sigma: 0.08)
        let missRate = min(0.3, p.risk.rate(0.006, elasticity: 0.8))
        for year in firstYear...context.asOf.year {
            if let dormant = p.dormantFromYear, year >= dormant { break }
            let deadline = Day.clamped(year: year + 1, month: 6, day: 30)
            if deadline < min(context.asOf, p.end) && random.chance(missRate) {
                history.missedReportYears.append(year)
                continue
            }
            let late = random.chance(lateRate)
            let filedOn: Day
            if late {
                let delay = Int(-log(1 - random.unit()) * 50)
                filedOn = Day.clamped(year: year + 1, month: 7, day: 1).adding(days: min(delay, 175))
            } else {
                // Most file close to the deadline; few in the first quarter.
                let (fromMonth, fromDay, toMonth, toDay) = [(5, 15, 6, 30), (4, 1, 5, 14), (1, 2, 3, 31)][
                    random.weighted([0.65, 0.30, 0.05])]
                filedOn = Day.random(
                    from: Day.clamped(year: year + 1, month: fromMonth, day: fromDay),
                    through: Day.clamped(year: year + 1, month: toMonth, day: toDay), &random)
            }
            if filedOn > p.end { break }
            let trend = pow(growth, Double(year - context.asOf.year))
            var employees = p.baseEmployees
            if employees > 0 {
                employees = max(0, Int((Double(employees) * random.logNormal(median: 1, sigma: 0.2)).rounded()))
            }
            var revenue = p.baseRevenue * trend * random.logNormal(median: 1, sigma: 0.35)
            if year == p.established.year {
                revenue *= Double(p.established.days(to: Day.clamped(year: year, month: 12, day: 31))) / 365
            }
            if random.chance(year == p.established.year ? 0.3 : zeroRevenueRate) { revenue = 0 }
            var taxPaid = revenue * random.uniform(0.01, 0.06)
            if revenue > 0 && random.chance(min(0.6, p.risk.rate(0.06, elasticity: 0.5))) { taxPaid = 0 }
            history.annualReports.append(
                .init(
                    year: year, filedOn: filedOn, employees: employees, revenue: Int64((revenue * 100).rounded()),
                    taxPaid: Int64((taxPaid * 100).rounded()), infoPublished: !random.chance(unpublishedRate)))
        }
    }

    /// Consumer complaints (12315): mostly driven by the trade, only weakly by risk.
    mutating func buildComplaints(_ p: EnterpriseProfile, _ random: inout Random) {
        let t = traits(p)
        let start = max(p.established.adding(days: 30), Day.clamped(year: 2017, month: 1, day: 1))
        let size = p.entityType == .individualBusiness ? 0.5 : 1
        let rate =
            0.05 * t.complaintFactor * size * p.risk.rate(1, elasticity: 0.5) * random.logNormal(median: 1, sigma: 0.6)
        let substantiated = min(0.85, 0.25 + 0.05 * pow(p.risk.factor, 0.7))
        for day in eventDays(perYear: rate, from: start, through: p.end, &random) {
            let category =
                random.chance(0.08)
                ? random.element(ComplaintCategory.allCases)
                : t.complaintCategories[random.weighted(t.complaintCategories.indices.map { 1 / Double($0 + 1) })]
            history.complaints.append(
                .init(receivedOn: day, category: category, substantiated: random.chance(substantiated)))
        }
        // A wave of complaints within weeks (a gym or training school closing with prepaid cards, a bad batch).
        if random.chance(min(0.05, 0.003 * t.complaintFactor * p.risk.rate(1, elasticity: 0.5))) {
            let wave = Day.random(from: start, through: p.end, &random)
            let category = random.element(t.complaintCategories)
            for _ in 0..<random.int(3...15) {
                let day = wave.adding(days: random.int(0...45))
                guard day <= p.end else { continue }
                history.complaints.append(
                    .init(
                        receivedOn: day, category: category, substantiated: random.chance(min(0.9, substantiated + 0.2))
                    ))
            }
        }
    }

    /// Random (双随机) inspections at a rate that grows with risk, as the class-based ratios do, plus
    /// targeted checks after substantiated complaints. One visit covers one to three items (joint
    /// inspection): one row per item. Problems are likelier for risky enterprises; a dormant enterprise
    /// is usually not found at its address.
    mutating func buildInspections(_ p: EnterpriseProfile, _ random: inout Random) {
        let t = traits(p)
        let start = max(p.established.adding(days: 60), GenerationContext.firstInspection)
        // The outcome model is documented (and computed for `generate --outcomes`) in InspectionOutcomeModel.
        let randomRate = 0.035 * p.risk.rate(1, elasticity: 0.6)
        for day in eventDays(perYear: randomRate, from: start, through: p.end, &random) {
            inspect(p, on: day, random: true, first: nil, traits: t, &random)
        }
        for complaint in history.complaints where complaint.substantiated && random.chance(0.35) {
            let day = complaint.receivedOn.adding(days: random.int(3...30))
            guard day <= p.end, day >= start else { continue }
            let item: InspectionItem
            switch complaint.category {
            case .foodSafety: item = .foodSafety
            case .price: item = .pricing
            case .advertising: item = .advertising
            case .quality: item = .productQuality
            case .contract, .service: item = .licence
            }
            inspect(p, on: day, random: false, first: item, traits: t, &random)
        }
        // Targeted checks from data monitoring, concentrated on the riskiest.
        for day in eventDays(perYear: p.risk.rate(0.004, elasticity: 1.2), from: start, through: p.end, &random) {
            inspect(p, on: day, random: false, first: nil, traits: t, &random)
        }
    }

    private mutating func inspect(
        _ p: EnterpriseProfile, on day: Day, random isRandom: Bool, first: InspectionItem?, traits t: IndustryTraits,
        _ random: inout Random
    ) {
        var items: [InspectionItem] = [first ?? (random.chance(0.5) ? .licence : .annualReport)]
        let extra = random.weighted([0.45, 0.4, 0.15])
        for _ in 0..<extra {
            let candidate =
                random.chance(0.06) ? random.element(InspectionItem.allCases) : random.element(t.inspectionItems)
            if !items.contains(candidate) { items.append(candidate) }
        }
        let dormant = p.dormantListedOn.map { day >= $0.adding(days: -InspectionOutcomeModel.dormantDaysBeforeListing) } ?? false
        let problemRate = InspectionOutcomeModel.itemProblemProbability(factor: p.risk.factor, random: isRandom)
        var visitOutcome: InspectionResultCode?
        if dormant {
            visitOutcome =
                [InspectionResultCode.unreachable, .activityNotFound, .notCooperating, .noProblem][
                    random.weighted([0.5, 0.3, 0.1, 0.1])]
        } else if random.chance(problemRate * 0.15) {
            // Not found at the address: the whole visit fails, whatever the items.
            visitOutcome =
                [InspectionResultCode.unreachable, .activityNotFound, .notCooperating][random.weighted([0.5, 0.3, 0.2])]
        }
        for item in items {
            var result = visitOutcome ?? .noProblem
            if visitOutcome == nil && random.chance(problemRate) {
                if item == .annualReport && random.chance(0.6) {
                    result = .notPublished
                } else {
                    let referred = min(0.4, 0.04 * p.risk.factor)
                    result =
                        [InspectionResultCode.corrected, .notPublished, .referred][
                            random.weighted([0.85 - referred, 0.15, referred])]
                }
            }
            // Two visits on one day (a random check and one after a complaint) check an item once: two rows
            // of one item, day and result would be one record delivered twice (the source's natural key).
            // Drawn above all the same, so that no other record of the data set changes.
            if history.inspections.contains(where: { $0.on == day && $0.item == item }) { continue }
            history.inspections.append(.init(on: day, item: item, random: isRandom, result: result))
        }
    }

    /// Abnormal-operation list (经营异常名录): the dormancy listing, listings for late annual reports
    /// (lifted when the report is filed), listings after inspections found the enterprise unreachable
    /// or its information unpublished, and a few for false information.
    mutating func buildAbnormalList(_ p: EnterpriseProfile, _ random: inout Random) {
        if let listed = p.dormantListedOn, listed <= context.horizon {
            // A few revive: they file the missing reports and are removed.
            let removed = random.chance(0.08) ? known(listed.adding(days: random.int(60...700))) : nil
            history.abnormal.append(
                .init(listedOn: listed, reason: .annualReport, removedOn: removed.flatMap { $0 <= p.end ? $0 : nil }))
        }
        for year in history.missedReportYears {
            let listed = Day.clamped(year: year + 1, month: 7, day: 1).adding(days: random.int(0...61))
            guard listed <= p.end else { continue }
            // Most file the overdue report and apply to be removed within months.
            let removed = random.chance(0.95) ? known(listed.adding(days: random.int(30...300))) : nil
            history.abnormal.append(.init(listedOn: listed, reason: .annualReport, removedOn: removed))
        }
        for report in history.annualReports {
            let deadlineListing = Day.clamped(year: report.year + 1, month: 7, day: 1).adding(days: random.int(0...61))
            if report.filedOn > deadlineListing {
                history.abnormal.append(
                    .init(
                        listedOn: deadlineListing, reason: .annualReport,
                        removedOn: known(report.filedOn.adding(days: random.int(1...20)))))
            }
        }
        var unreachableUntil: Day?
        for inspection in history.inspections {
            let listing = inspection.on.adding(days: random.int(5...40))
            guard listing <= p.end else { continue }
            switch inspection.result {
            case .unreachable:
                if let until = unreachableUntil, inspection.on <= until { continue }
                // An operating enterprise usually restores contact and is removed; a dormant one is not.
                let removal = p.dormantListedOn == nil ? 0.8 : 0.1
                let removed = random.chance(removal) ? known(listing.adding(days: random.int(30...400))) : nil
                unreachableUntil = removed ?? context.horizon
                history.abnormal.append(.init(listedOn: listing, reason: .unreachable, removedOn: removed))
            case .notPublished where random.chance(0.35):
                let removed = random.chance(0.85) ? known(listing.adding(days: random.int(20...200))) : nil
                history.abnormal.append(.init(listedOn: listing, reason: .infoNotPublished, removedOn: removed))
            default:
                break
            }
        }
        let start = max(p.established.adding(days: 180), Day.clamped(year: 2014, month: 3, day: 1))
        let noise = random.logNormal(median: 1, sigma: 0.5)
        // An operating enterprise usually corrects what got it listed and is removed within a year.
        let operating = p.dormantListedOn == nil
        let kinds: [(AbnormalReason, Double, Double, Double)] = [
            (.unreachable, 0.0007, 1.3, operating ? 0.8 : 0.1), (.infoNotPublished, 0.001, 1.0, operating ? 0.85 : 0.2),
            (.falseInfo, 0.0004, 1.3, operating ? 0.6 : 0.1),
        ]
        for (reason, base, elasticity, removal) in kinds {
            for day in eventDays(
                perYear: p.risk.rate(base, elasticity: elasticity) * noise, from: start, through: p.end, &random)
            {
                let removed = random.chance(removal) ? known(day.adding(days: random.int(30...400))) : nil
                history.abnormal.append(.init(listedOn: day, reason: reason, removedOn: removed))
            }
        }
    }

    /// Administrative penalties: independent ones at a risk-driven rate, and those following an
    /// inspection that referred the case or ordered a correction.
    mutating func buildPenalties(_ p: EnterpriseProfile, _ random: inout Random) {
        let start = max(p.established.adding(days: 30), Day.clamped(year: 2010, month: 1, day: 1))
        var days = eventDays(
            perYear: p.risk.rate(0.009) * random.logNormal(median: 1, sigma: 0.5), from: start, through: p.end, &random)
        for inspection in history.inspections {
            let follows =
                inspection.result == .referred ? 0.6 : inspection.result == .corrected ? 0.12 : 0
            if follows > 0 && random.chance(follows) {
                let day = inspection.on.adding(days: random.int(20...180))
                if day <= p.end { days.append(day) }
            }
        }
        // Repeat offenders: five to eight penalties within a year in the last three years.
        if random.chance(p.risk.rate(0.001)) {
            let burst = Day.random(from: max(start, context.asOf.addingMonths(-36)), through: p.end, &random)
            for _ in 0..<random.int(5...8) {
                let day = burst.adding(days: random.int(0...300))
                if day <= p.end && day >= start { days.append(day) }
            }
        }
        let c = county(p)
        for day in days {
            let severe = min(0.5, 0.02 * p.risk.factor)
            let kind = [PenaltyKind.warning, .fine, .confiscation, .suspension, .licenceRevocation][
                random.weighted([0.30, 0.52, 0.10, 0.05 + severe * 0.1, 0.015 + severe * 0.1])]
            let severity: PenaltySeverity
            let amount: Int64
            switch kind {
            case .warning:
                severity = random.chance(0.85) ? .minor : .general
                amount = 0
            case .fine:
                severity = [PenaltySeverity.minor, .general, .serious][random.weighted([0.4, 0.5, 0.05 + severe])]
                amount =
                    severity == .serious
                    ? self.amount(median: 80_000, sigma: 1.4, &random) : self.amount(median: 5_000, sigma: 1.1, &random)
            case .confiscation:
                severity = random.chance(0.6 - severe) ? .general : .serious
                amount = self.amount(median: 20_000, sigma: 1.6, &random)
            case .suspension:
                severity = random.chance(0.3) ? .general : .serious
                amount = self.amount(median: 30_000, sigma: 1, &random)
            case .licenceRevocation:
                severity = .serious
                amount = random.chance(0.3) ? 0 : self.amount(median: 50_000, sigma: 1, &random)
            }
            let caseNumber =
                String(c.cityShortName.prefix(1)) + String(c.name.prefix(1))
                + "市监罚〔\(day.year)〕\(random.int(1...3000))号"
            history.penalties.append(
                .init(caseNumber: caseNumber, decidedOn: day, kind: kind, severity: severity, amount: amount))
        }
    }

    /// Licences the trade needs, issued soon after establishment and renewed every five years, unless
    /// the enterprise stops or (more often when risky) lets it lapse. Any enterprise may rarely hold an
    /// unusual licence, so every licence type occurs.
    mutating func buildLicences(_ p: EnterpriseProfile, _ random: inout Random) {
        var needed = traits(p).licences.compactMap { random.chance($0.1) ? $0.0 : nil }
        if random.chance(0.006) { needed.append(random.element(LicenceType.allCases)) }
        let lapse = min(0.6, p.risk.rate(0.06, elasticity: 0.8))
        for type in needed {
            var issued = p.established.adding(days: random.int(10...200))
            for _ in 0..<8 {
                guard issued <= p.end else { break }
                let expires = issued.addingYears(5)
                history.licences.append(.init(type: type, issuedOn: issued, expiresOn: expires))
                if let dormant = p.dormantListedOn, expires > dormant { break }
                if random.chance(lapse) { break }
                issued = expires.adding(days: -random.int(5...60))
            }
        }
    }
}
