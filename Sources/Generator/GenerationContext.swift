import DigiTagBase

/// Everything a worker needs to derive any enterprise's records: immutable, shared by all workers.
struct GenerationContext: Sendable {
    let seed: UInt64
    /// The data's "today".
    let asOf: Day
    /// The last day any record is dated: `asOf` + 90 days. Records in between exist on purpose so that
    /// point-in-time filtering has something to filter.
    let horizon: Day
    let regions: RegionModel
    let industries: IndustryModel

    /// The first registrations in the data (older enterprises exist but are rare enough to leave out).
    static let firstEstablished = Day.clamped(year: 1995, month: 1, day: 1)
    /// Annual reports (企业年度报告公示) replaced the annual inspection with the 2013 reporting year.
    static let firstReportYear = 2013
    /// Tax credit ratings as published today (A/B/M/C/D) start with the 2014 rating year.
    static let firstRatingYear = 2014
    /// The national 双随机 platform era: inspections in the data start in 2016.
    static let firstInspection = Day.clamped(year: 2016, month: 1, day: 1)

    init(seed: UInt64, asOf: Day, regions: RegionModel, industries: IndustryModel) {
        self.seed = seed
        self.asOf = asOf
        self.horizon = asOf.adding(days: 90)
        self.regions = regions
        self.industries = industries
    }
}
