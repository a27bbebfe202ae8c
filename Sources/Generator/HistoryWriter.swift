import DigiTagBase
import DigiTagIO

/// Writes the registration row and the history of each enterprise to the fourteen non-filing files.
///
/// Owns its `CSVWriter`s: one writer per file, used from one thread only.
struct HistoryWriter {
    /// Indexed by `OutputFile.rawValue`; nil for the filings file.
    private var writers: [CSVWriter?]
    private var counts: [Int]

    init(outputDirectory: String) throws {
        writers = try OutputFile.allCases.map { file in
            file.isFilings ? nil : try CSVWriter(path: FileSystem.join(outputDirectory, file.path), header: file.header)
        }
        counts = Array(repeating: 0, count: OutputFile.allCases.count)
    }

    /// Data rows written so far to `file`.
    func rows(_ file: OutputFile) -> Int { counts[file.rawValue] }

    /// The writer of a file opened in `init` (every non-filing file is).
    private func writer(_ file: OutputFile) -> CSVWriter {
        guard let w = writers[file.rawValue] else { preconditionFailure("no writer for \(file.path)") }
        return w
    }

    private mutating func end(_ file: OutputFile, _ w: CSVWriter) throws {
        try w.endRow()
        counts[file.rawValue] += 1
    }

    mutating func write(_ p: EnterpriseProfile, _ h: EnterpriseHistory, regions: RegionModel, industries: IndustryModel)
        throws
    {
        let county = regions.counties[p.county]
        var w = writer(.enterprises)
        w.field(p.uscc)
        w.field(p.name)
        w.code(p.entityType)
        w.field(p.representative.name)
        w.field(p.representative.id)
        w.amount(cents: p.capitalCents)
        w.date(p.established)
        w.field(industries.industries[p.industry].code)
        w.field(county.code)
        w.field(p.address)
        w.code(p.status)
        w.date(p.statusOn)
        try end(.enterprises, w)

        w = writer(.annualReports)
        for r in h.annualReports {
            w.field(p.uscc)
            w.integer(r.year)
            w.date(r.filedOn)
            w.integer(r.employees)
            w.amount(cents: r.revenue)
            w.amount(cents: r.taxPaid)
            w.flag(r.infoPublished)
            try end(.annualReports, w)
        }

        w = writer(.abnormalList)
        for r in h.abnormal {
            w.field(p.uscc)
            w.date(r.listedOn)
            w.code(r.reason)
            w.field(county.marketAuthority)
            w.date(r.removedOn)
            try end(.abnormalList, w)
        }

        w = writer(.penalties)
        for r in h.penalties {
            w.field(p.uscc)
            w.field(r.caseNumber)
            w.date(r.decidedOn)
            w.code(r.kind)
            w.code(r.severity)
            w.amount(cents: r.amount)
            try end(.penalties, w)
        }

        w = writer(.inspections)
        for r in h.inspections {
            w.field(p.uscc)
            w.date(r.on)
            w.code(r.item)
            w.flag(r.random)
            w.code(r.result)
            try end(.inspections, w)
        }

        w = writer(.licences)
        for r in h.licences {
            w.field(p.uscc)
            w.code(r.type)
            w.date(r.issuedOn)
            w.date(r.expiresOn)
            try end(.licences, w)
        }

        w = writer(.complaints)
        for r in h.complaints {
            w.field(p.uscc)
            w.date(r.receivedOn)
            w.code(r.category)
            w.flag(r.substantiated)
            try end(.complaints, w)
        }

        w = writer(.taxRatings)
        for r in h.ratings {
            w.field(p.uscc)
            w.integer(r.year)
            w.code(r.rating)
            if let score = r.score { w.integer(score) } else { w.empty() }
            w.date(r.publishedOn)
            try end(.taxRatings, w)
        }

        w = writer(.taxArrears)
        for r in h.arrears {
            w.field(p.uscc)
            w.code(r.taxType)
            w.amount(cents: r.amount)
            w.date(r.aroseOn)
            w.date(r.clearedOn)
            try end(.taxArrears, w)
        }

        w = writer(.taxViolations)
        for r in h.violations {
            w.field(p.uscc)
            w.date(r.decidedOn)
            w.code(r.kind)
            w.amount(cents: r.amount)
            try end(.taxViolations, w)
        }

        w = writer(.dishonestDebtors)
        for r in h.debtors {
            w.field(p.uscc)
            w.field(r.caseNumber)
            w.field(r.court)
            w.date(r.listedOn)
            w.amount(cents: r.amount)
            w.date(r.removedOn)
            try end(.dishonestDebtors, w)
        }

        w = writer(.creditLists)
        for r in h.lists {
            w.field(p.uscc)
            w.code(r.list)
            w.code(r.sector)
            w.field(r.authority)
            w.date(r.listedOn)
            w.date(r.removedOn)
            try end(.creditLists, w)
        }

        w = writer(.commitments)
        for r in h.commitments {
            w.field(p.uscc)
            w.date(r.madeOn)
            w.code(r.kind)
            w.date(r.breachedOn)
            try end(.commitments, w)
        }

        w = writer(.creditRepairs)
        for r in h.repairs {
            w.field(p.uscc)
            w.date(r.repairedOn)
            w.code(r.kind)
            try end(.creditRepairs, w)
        }
    }

    func close() throws {
        for file in OutputFile.allCases where !file.isFilings { try writer(file).close() }
    }
}
