import DigiTagBase

/// Public-credit records: dishonest judgment debtors, the credit lists, credit repairs and commitments.
extension HistoryBuilder {
    /// Dishonest judgment debtors (失信被执行人): listed by the basic court of the enterprise's county or,
    /// for larger cases, the city's intermediate court; case numbers like （2023）鲁0102执123号.
    mutating func buildDishonestDebtors(_ p: EnterpriseProfile, _ random: inout Random) {
        let start = max(p.established.adding(days: 180), Day.clamped(year: 2014, month: 1, day: 1))
        var days = eventDays(
            perYear: p.risk.rate(0.0012, elasticity: 1.2) * random.logNormal(median: 1, sigma: 0.5), from: start,
            through: p.end, &random)
        if let listed = p.dormantListedOn, random.chance(0.2) {
            let day = listed.adding(days: random.int(90...900))
            if day <= p.end { days.append(day) }
        }
        let c = county(p)
        for day in days {
            let intermediate = random.chance(0.2)
            let court = intermediate ? c.intermediateCourt : c.basicCourt
            let courtCode = intermediate ? String(c.cityCode.suffix(2)) : String(c.code.suffix(4))
            let caseYear = random.chance(0.7) ? day.year : day.year - 1
            let docket = random.chance(0.1) ? "执恢" : "执"
            let caseNumber = "（\(caseYear)）鲁\(courtCode)\(docket)\(random.int(1...(intermediate ? 1500 : 9000)))号"
            let removed = random.chance(0.4) ? known(day.adding(days: random.int(30...700))) : nil
            history.debtors.append(
                .init(
                    caseNumber: caseNumber, court: court, listedOn: day,
                    amount: amount(median: p.capitalCents >= 100_000 ? 1_000_000 : 60_000, sigma: 1.7, &random),
                    removedOn: removed))
        }
    }

    /// Serious illegal-and-dishonest list (mainly enterprises over three years on the abnormal list),
    /// sector black lists (tax black list after large evasion or invoice fraud; others by trade), and red
    /// lists for the trustworthy (tax: three A ratings in a row; others for clean low-risk enterprises).
    mutating func buildCreditLists(_ p: EnterpriseProfile, _ random: inout Random) {
        let t = traits(p)
        let start = max(p.established.adding(days: 180), Day.clamped(year: 2016, month: 1, day: 1))
        if let listed = p.dormantListedOn, random.chance(0.7) {
            let day = listed.addingYears(3).adding(days: random.int(1...60))
            if day <= p.end {
                addList(.seriousDishonest, .market, on: day, removal: 0.25, p, &random)
            }
        }
        if p.risk.level == .veryHigh && random.chance(0.25) {
            let day = Day.random(from: max(start, Day.clamped(year: 2018, month: 1, day: 1)), through: p.end, &random)
            if day > start {
                addList(
                    .seriousDishonest, random.chance(0.5) ? .market : random.element(t.blackSectors), on: day,
                    removal: 0.3, p, &random)
            }
        }
        for penalty in history.penalties where penalty.severity == .serious && penalty.amount >= 10_000_000 {
            if random.chance(0.3) {
                addList(
                    .seriousDishonest, .market, on: penalty.decidedOn.adding(days: random.int(15...60)), removal: 0.35,
                    p, &random)
            }
        }
        for violation in history.violations
        where (violation.kind == .evasion || violation.kind == .invoiceFraud) && violation.amount >= 10_000_000
            && random.chance(0.3)
        {
            addList(.black, .tax, on: violation.decidedOn.adding(days: random.int(30...90)), removal: 0.4, p, &random)
        }
        for day in eventDays(perYear: p.risk.rate(0.0003, elasticity: 1.3), from: start, through: p.end, &random) {
            // Market and road-transport black lists reach any trade that sells to consumers or runs trucks.
            let sector = [CreditSector.market, .transport, random.element(t.blackSectors)][
                random.weighted([0.15, 0.08, 0.77])]
            addList(.black, sector, on: day, removal: 0.4, p, &random)
        }
        // Red lists.
        var streak = 0
        for rating in history.ratings {
            streak = rating.rating == .a ? streak + 1 : 0
            if streak == 3 && random.chance(0.4) {
                addList(.red, .tax, on: rating.publishedOn.adding(days: random.int(5...40)), removal: 0.3, p, &random)
            }
        }
        let clean = p.risk.level == .low && history.penalties.isEmpty && history.abnormal.isEmpty
        if clean && random.chance(0.05) {
            let sector = [CreditSector.market, .labour, .customs, .environment, .safety, .finance, .transport, .tax][
                random.weighted([0.3, 0.15, 0.08, 0.1, 0.1, 0.1, 0.07, 0.1])]
            let day = Day.random(from: max(start, Day.clamped(year: 2017, month: 1, day: 1)), through: p.end, &random)
            if day > start { addList(.red, sector, on: day, removal: 0.3, p, &random) }
        }
    }

    private mutating func addList(
        _ list: CreditListKind, _ sector: CreditSector, on day: Day, removal: Double, _ p: EnterpriseProfile,
        _ random: inout Random
    ) {
        guard day <= p.end else { return }
        let removed = random.chance(removal) ? known(day.adding(days: random.int(180...1100))) : nil
        history.lists.append(
            .init(
                list: list, sector: sector, authority: HistoryBuilder.authority(sector, county(p)), listedOn: day,
                removedOn: removed))
    }

    /// The city-level authority that keeps a sector's list.
    static func authority(_ sector: CreditSector, _ c: County) -> String {
        switch sector {
        case .market: return c.cityName + "市场监督管理局"
        case .tax: return "国家税务总局" + c.cityName + "税务局"
        case .customs: return ["3702", "3706", "3710", "3711"].contains(c.cityCode) ? "青岛海关" : "济南海关"
        case .environment: return c.cityName + "生态环境局"
        case .safety: return c.cityName + "应急管理局"
        case .finance: return "国家金融监督管理总局" + c.cityShortName + "监管分局"
        case .labour: return c.cityName + "人力资源和社会保障局"
        case .transport: return c.cityName + "交通运输局"
        }
    }

    /// Credit repair (信用修复): lifted abnormal listings, penalties after their minimum publicity period
    /// (3 months minor, 1 year general, 3 years serious), lifted serious-dishonest and black listings.
    mutating func buildRepairs(_ p: EnterpriseProfile, _ random: inout Random) {
        for entry in history.abnormal {
            if let removed = entry.removedOn, random.chance(0.45),
                let day = known(removed.adding(days: random.int(0...7)))
            {
                if day <= p.end { history.repairs.append(.init(repairedOn: day, kind: .abnormalList)) }
            }
        }
        for penalty in history.penalties where penalty.kind != .warning {
            let (chance, wait) =
                penalty.severity == .minor ? (0.3, 90) : penalty.severity == .general ? (0.25, 365) : (0.1, 1095)
            if random.chance(chance), let day = known(penalty.decidedOn.adding(days: wait + random.int(0...180))),
                day <= p.end
            {
                history.repairs.append(.init(repairedOn: day, kind: .penalty))
            }
        }
        // Most lifted listings were repaired days before; the others simply expired.
        for entry in history.lists where entry.list != .red {
            guard let removed = entry.removedOn, random.chance(entry.list == .seriousDishonest ? 0.7 : 0.6) else {
                continue
            }
            let day = max(entry.listedOn.adding(days: 1), removed.adding(days: -random.int(0...15)))
            history.repairs.append(.init(repairedOn: day, kind: entry.list == .black ? .black : .seriousDishonest))
        }
    }

    /// Credit commitments (信用承诺): one before every repair, with licence applications under the
    /// notification-and-commitment system, for subsidies and others. A commitment is breached when a new
    /// listing or penalty follows it, or at a risk-driven rate.
    mutating func buildCommitments(_ p: EnterpriseProfile, _ random: inout Random) {
        let since = Day.clamped(year: 2019, month: 1, day: 1)
        var laterProblems: [Day] = history.abnormal.map(\.listedOn) + history.penalties.map(\.decidedOn)
        laterProblems.sort()
        for repair in history.repairs {
            let made = repair.repairedOn.adding(days: -random.int(5...30))
            let next = laterProblems.first { $0 > made.adding(days: 30) }
            let breached = next.flatMap { random.chance(0.7) ? $0 : nil }
            history.commitments.append(.init(madeOn: made, kind: .repair, breachedOn: breached))
        }
        let breachRate = min(0.5, p.risk.rate(0.025, elasticity: 0.8))
        for licence in history.licences where licence.issuedOn >= since && random.chance(0.35) {
            add(.licensing, madeOn: licence.issuedOn.adding(days: -random.int(0...10)), breachRate, p, &random)
        }
        let start = max(p.established, since)
        let subsidyRate = p.risk.level == .low ? 0.03 : 0.01
        for day in eventDays(perYear: subsidyRate, from: start, through: p.end, &random) {
            add(.subsidy, madeOn: day, breachRate, p, &random)
        }
        for day in eventDays(perYear: 0.015, from: start, through: p.end, &random) {
            add(.other, madeOn: day, breachRate, p, &random)
        }
    }

    private mutating func add(
        _ kind: CommitmentKind, madeOn day: Day, _ breachRate: Double, _ p: EnterpriseProfile, _ random: inout Random
    ) {
        guard day <= p.end else { return }
        let breached = random.chance(breachRate) ? known(day.adding(days: random.int(30...700))) : nil
        // One commitment of a kind a day: (enterprise, day, kind) is the source's natural key, and two
        // events drawn on one day are one. Drawn above all the same, so no other record changes.
        if history.commitments.contains(where: { $0.madeOn == day && $0.kind == kind }) { return }
        history.commitments.append(
            .init(madeOn: day, kind: kind, breachedOn: breached.flatMap { $0 <= p.end ? $0 : nil }))
    }
}
