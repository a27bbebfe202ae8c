import DigiTagBase
import Foundation

/// Everything about one enterprise that more than one source depends on: identity, registration,
/// latent risk, size and life cycle. Derived from `(seed, index)` alone, so the history worker and the
/// filings worker derive the same profile independently.
struct EnterpriseProfile {
    let index: Int
    let uscc: String
    let name: String
    let entityType: EntityType
    let representative: LegalRepresentative
    let risk: RiskProfile
    let county: Int
    let industry: Int
    let established: Day
    let status: RegistrationStatus
    /// When the enterprise was revoked or cancelled; nil while operating.
    let statusOn: Day?
    /// Registered capital in hundredths of 万元.
    let capitalCents: Int64
    let address: String
    /// Registered at a shell-cluster address: no staff, little or no business.
    let isShell: Bool
    /// Typical head count and yearly revenue (万元) around which annual figures vary.
    let baseEmployees: Int
    let baseRevenue: Double
    /// The enterprise stopped operating without deregistering ("zombie"): from this reporting year on it
    /// files no annual report and no tax return.
    let dormantFromYear: Int?
    /// When that first missing report put it on the abnormal list.
    let dormantListedOn: Day?
    /// The last day on which anything happens to the enterprise: its revocation or cancellation, else
    /// the context's horizon.
    let end: Day

    var isCompany: Bool { entityType == .company || entityType == .branch }

    /// The risk level an enterprise draws for itself, before any sharing with its representative's
    /// other enterprises: the first draw of its profile stream, so it can be computed for the leader.
    static func ownLevel(index: Int, seed: UInt64) -> RiskProfile.Level {
        var random = Random(seed: seed, key: UInt64(index), stream: .profile)
        return RiskProfile.drawLevel(&random)
    }

    init(index: Int, context: GenerationContext) {
        self.index = index
        let seed = context.seed
        var random = Random(seed: seed, key: UInt64(index), stream: .profile)
        var level = RiskProfile.drawLevel(&random)
        // One person's enterprises tend to share their fate (related-party signals).
        let representative = LegalRepresentative(enterprise: index, seed: seed)
        if representative.leader != index && random.chance(0.5) {
            level = EnterpriseProfile.ownLevel(index: representative.leader, seed: seed)
        }
        self.representative = representative
        let risk = RiskProfile(level: level, &random)
        self.risk = risk

        let cluster = AddressCluster(enterprise: index, context: context)
        let inCluster = cluster != nil && random.chance(AddressCluster.joinProbability(level))
        isShell = inCluster

        let entityType: EntityType =
            inCluster
            ? .company
            : [EntityType.company, .partnership, .soleProprietorship, .branch, .individualBusiness][
                random.weighted([0.70, 0.05, 0.04, 0.07, 0.14])]
        self.entityType = entityType
        let county = cluster.flatMap { inCluster ? $0.county : nil } ?? context.regions.pick(&random)
        self.county = county
        let industry = context.industries.pick(smallTrade: entityType == .individualBusiness, &random)
        self.industry = industry

        let established = EnterpriseProfile.establishment(inCluster: inCluster, context: context, &random)
        self.established = established
        capitalCents = EnterpriseProfile.capital(entityType, inCluster: inCluster, &random)

        // Size: staff and turnover.
        let traits = context.industries.industries[industry].traits
        var employees: Int
        switch entityType {
        case .individualBusiness: employees = random.int(1...5)
        case .partnership: employees = random.int(0...4)
        case .soleProprietorship: employees = random.int(1...12)
        case .company, .branch: employees = Int(random.logNormal(median: 8, sigma: 1.1).rounded())
        }
        if inCluster || random.chance(0.04) { employees = 0 }
        baseEmployees = employees
        let perEmployee = random.logNormal(median: 25, sigma: 0.7) * traits.revenueFactor
        baseRevenue = inCluster ? 0 : Double(max(employees, 1)) * perEmployee

        // Life cycle: dormancy, then revocation or cancellation.
        let lastReportYear = context.asOf.year - 1
        let firstReportYear = max(established.year, GenerationContext.firstReportYear)
        var dormantFromYear: Int?
        var dormantListedOn: Day?
        let dormancyChance = inCluster ? 0.5 : risk.pick(0.002, 0.008, 0.04, 0.4)
        if firstReportYear <= lastReportYear && random.chance(dormancyChance) {
            let back = Int(-log(1 - random.unit()) * 2.2)
            let year = max(firstReportYear, lastReportYear - back)
            dormantFromYear = year
            dormantListedOn = Day.clamped(year: year + 1, month: 7, day: 1).adding(days: random.int(0...61))
        }
        self.dormantFromYear = dormantFromYear
        self.dormantListedOn = dormantListedOn

        var status = RegistrationStatus.operating
        var statusOn: Day?
        let ageDays = established.days(to: context.asOf)
        if let listed = dormantListedOn, listed.adding(days: 365) < context.asOf, random.chance(0.75) {
            // Revoked (吊销) after a year or more on the abnormal list without a sign of life.
            status = .revoked
            statusOn = Day.random(
                from: listed.adding(days: 365), through: min(context.asOf, listed.adding(days: 5 * 365)), &random)
        } else if dormantFromYear == nil && ageDays > 365 && random.chance(0.04) {
            status = .cancelled
            statusOn = Day.random(from: established.adding(days: 365), through: context.asOf, &random)
        } else if ageDays > 365 && random.chance(risk.pick(0.008, 0.03, 0.1, 0.15)) {
            // Revoked for other reasons (a serious violation, a licence withdrawn), more often when risky.
            status = .revoked
            statusOn = Day.random(from: established.adding(days: 365), through: context.asOf, &random)
        }
        self.status = status
        self.statusOn = statusOn
        end = statusOn ?? context.horizon

        // Names and addresses, last, so that vocabulary changes leave the numbers above alone.
        let c = context.regions.counties[county]
        uscc = OrganisationCode.uscc(index: index, entityType: entityType, countyCode: c.code, seed: seed)
        name = EnterpriseProfile.name(
            entityType, county: c, keyword: random.element(traits.keywords), representative: representative,
            context: context, &random)
        address =
            (inCluster ? cluster?.address : nil)
            ?? "山东省" + c.cityName + c.name + ChineseText.street(&random, rural: !c.isUrbanDistrict)
    }

    /// Skewed toward recent years: 0.5% register after the as-of date (point-in-time rows); the age of
    /// the others is gamma-distributed (shape 2, scale 3.5 years: mode 3.5 years, mean 7), which puts
    /// about 11% in the last two years and few before 2000. Shells are young.
    private static func establishment(inCluster: Bool, context: GenerationContext, _ random: inout Random) -> Day {
        let asOf = context.asOf
        if inCluster { return asOf.adding(days: -random.int(60...1800)) }
        if random.chance(0.005) { return asOf.adding(days: random.int(1...90)) }
        // A gamma(2) variable is the sum of two exponential ones.
        let age = Int(-(log(1 - random.unit()) + log(1 - random.unit())) * 3.5 * 365.25)
        let day = asOf.adding(days: -age)
        if day >= GenerationContext.firstEstablished { return day }
        return Day.random(from: GenerationContext.firstEstablished, through: asOf.adding(days: -730), &random)
    }

    /// Registered capital (万元) by legal form: log-normal, usually a round figure. Branches have none;
    /// a few companies (and shells, which advertise size) exceed 10,000.
    private static func capital(_ type: EntityType, inCluster: Bool, _ random: inout Random) -> Int64 {
        let wan: Double
        switch type {
        case .branch: return 0
        case .individualBusiness: wan = random.logNormal(median: 3, sigma: 1)
        case .soleProprietorship: wan = random.logNormal(median: 10, sigma: 1)
        case .partnership: wan = random.logNormal(median: 500, sigma: 1.4)
        case .company:
            if inCluster {
                wan = random.logNormal(median: 5000, sigma: 1)
            } else if random.chance(0.03) {
                wan = random.logNormal(median: 5000, sigma: 1.2)
            } else {
                wan = random.logNormal(median: 100, sigma: 1.3)
            }
        }
        if random.chance(0.75) { return Int64(roundFigure(wan) * 100) }
        return max(1, Int64((wan * 100).rounded()))
    }

    /// 1 or 2 significant digits: 3, 50, 100, 120, 5000 …
    private static func roundFigure(_ x: Double) -> Double {
        guard x >= 1 else { return 1 }
        let magnitude = pow(10, floor(log10(x)) - (x >= 10 ? 1 : 0))
        return (x / magnitude).rounded() * magnitude
    }

    private static func name(
        _ type: EntityType, county: County, keyword: String, representative: LegalRepresentative,
        context: GenerationContext, _ random: inout Random
    ) -> String {
        let trade = ChineseText.tradeName(&random)
        let city = county.cityShortName
        switch type {
        case .company:
            let prefix = random.chance(0.06) ? "山东" : city
            let form = ["有限公司", "有限责任公司", "股份有限公司"][random.weighted([0.82, 0.14, 0.04])]
            return prefix + trade + keyword + form
        case .partnership:
            return city + trade + keyword + (random.chance(0.75) ? "合伙企业（有限合伙）" : "合伙企业（普通合伙）")
        case .soleProprietorship:
            return city + trade + keyword + "个人独资企业"
        case .branch:
            let parent = context.regions.counties[context.regions.pick(&random)].cityShortName
            let place = parent == city ? county.name.dropLast() : Substring(city)
            return parent + trade + keyword + "有限公司" + place + "分公司"
        case .individualBusiness:
            let owner = random.chance(0.3) ? String(representative.name.prefix(1)) + "记" : trade
            let shopLike = ["店", "房", "馆", "所", "室", "院", "厅", "市", "行", "部", "场", "中心"].contains {
                keyword.hasSuffix($0)
            }
            return county.name + owner + keyword + (shopLike ? "" : "店")
        }
    }
}
