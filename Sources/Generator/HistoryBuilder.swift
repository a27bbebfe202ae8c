import DigiTagBase

/// Derives one enterprise's records of every source but tax filings, in dependency order: market
/// records first (a late annual report leads to an abnormal listing), then tax (a tax violation can turn
/// the rating to D), then public credit (lists, repairs and commitments follow from both).
///
/// Each department uses its own random stream, so changing how, say, complaints are drawn leaves the
/// tax and credit records of every enterprise unchanged.
struct HistoryBuilder {
    let context: GenerationContext
    /// The records of the enterprise built last (filled by the department builders in other files).
    var history = EnterpriseHistory()

    init(context: GenerationContext) { self.context = context }

    mutating func build(_ profile: EnterpriseProfile) {
        history.reset()
        var market = Random(seed: context.seed, key: UInt64(profile.index), stream: .market)
        buildAnnualReports(profile, &market)
        buildComplaints(profile, &market)
        buildInspections(profile, &market)
        buildAbnormalList(profile, &market)
        buildPenalties(profile, &market)
        buildLicences(profile, &market)

        var tax = Random(seed: context.seed, key: UInt64(profile.index), stream: .tax)
        buildTaxViolations(profile, &tax)
        buildArrears(profile, &tax)
        buildRatings(profile, &tax)

        var credit = Random(seed: context.seed, key: UInt64(profile.index), stream: .credit)
        buildDishonestDebtors(profile, &credit)
        buildCreditLists(profile, &credit)
        buildRepairs(profile, &credit)
        buildCommitments(profile, &credit)

        sortByDate()
    }

    /// Records are written in date order per enterprise, as an export from a registry would be.
    private mutating func sortByDate() {
        history.annualReports.sort { $0.year < $1.year }
        history.abnormal.sort { $0.listedOn < $1.listedOn }
        history.penalties.sort { $0.decidedOn < $1.decidedOn }
        history.inspections.sort { ($0.on, $0.item.rawValue) < ($1.on, $1.item.rawValue) }
        history.licences.sort { $0.issuedOn < $1.issuedOn }
        history.complaints.sort { $0.receivedOn < $1.receivedOn }
        history.ratings.sort { ($0.publishedOn, $0.year) < ($1.publishedOn, $1.year) }
        history.arrears.sort { $0.aroseOn < $1.aroseOn }
        history.violations.sort { $0.decidedOn < $1.decidedOn }
        history.debtors.sort { $0.listedOn < $1.listedOn }
        history.lists.sort { $0.listedOn < $1.listedOn }
        history.commitments.sort { $0.madeOn < $1.madeOn }
        history.repairs.sort { $0.repairedOn < $1.repairedOn }
    }

    // MARK: - Helpers shared by the department builders

    /// The days on which events of a Poisson process with `perYear` events a year fall in
    /// `[from, through]` (empty when the window is empty).
    func eventDays(perYear: Double, from: Day, through: Day, _ random: inout Random) -> [Day] {
        guard through > from, perYear > 0 else { return [] }
        let n = random.poisson(perYear * Double(from.days(to: through)) / 365.25)
        guard n > 0 else { return [] }
        return (0..<n).map { _ in Day.random(from: from, through: through, &random) }
    }

    /// A later date that may not be known yet: nil when it falls after the horizon (nobody can know on
    /// the data's "today" that a listing will be lifted next year).
    func known(_ day: Day) -> Day? { day <= context.horizon ? day : nil }

    /// An amount in hundredths, log-normal around `median` yuan, usually rounded to whole yuan.
    func amount(median: Double, sigma: Double, _ random: inout Random) -> Int64 {
        let yuan = random.logNormal(median: median, sigma: sigma)
        if random.chance(0.6) { return Int64(max(1, (yuan / 100).rounded()) * 10000) }
        return max(1, Int64((yuan * 100).rounded()))
    }

    func county(_ profile: EnterpriseProfile) -> County { context.regions.counties[profile.county] }

    func traits(_ profile: EnterpriseProfile) -> IndustryTraits {
        context.industries.industries[profile.industry].traits
    }
}
