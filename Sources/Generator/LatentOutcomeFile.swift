import DigiTagBase
import DigiTagIO
import Foundation

/// `outcomes/latent.csv`, written by `generate --outcomes` only: each enterprise's hidden risk and the
/// probabilities its inspections are drawn with (`InspectionOutcomeModel`), so that a back-test can be checked
/// against the truth. Not a source of any run: the pipeline never reads it.
struct LatentOutcomeFile {
    static let path = "outcomes/latent.csv"
    static let header = [
        "uscc", "risk_level", "risk_factor", "random_visits_per_year", "random_visit_problem_probability",
        "targeted_visit_problem_probability", "dormant_from", "dormant_visit_problem_probability",
    ]

    let writer: CSVWriter
    private(set) var rows = 0

    init(outputDirectory: String) throws {
        try FileSystem.createDirectory(FileSystem.join(outputDirectory, "outcomes"))
        writer = try CSVWriter(path: FileSystem.join(outputDirectory, Self.path), header: Self.header)
    }

    mutating func write(_ p: EnterpriseProfile, industryItems: [InspectionItem]) throws {
        let f = p.risk.factor
        let level = ["low", "medium", "high", "very_high"][p.risk.level.rawValue]
        let dormantFrom = p.dormantListedOn.map { $0.adding(days: -InspectionOutcomeModel.dormantDaysBeforeListing).description } ?? ""
        try writer.row([
            p.uscc, level, Self.number(f), Self.number(InspectionOutcomeModel.randomVisitsPerYear(factor: f)),
            Self.number(InspectionOutcomeModel.visitProblemProbability(factor: f, random: true, industryItems: industryItems)),
            Self.number(InspectionOutcomeModel.visitProblemProbability(factor: f, random: false, industryItems: industryItems)),
            dormantFrom, Self.number(InspectionOutcomeModel.dormantVisitProblemProbability),
        ])
        rows += 1
    }

    func close() throws { try writer.close() }

    static func number(_ x: Double) -> String { String(format: "%.6f", x) }
}
