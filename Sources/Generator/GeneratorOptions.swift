import DataContract
import DigiTagBase
import DigiTagIO

/// What to generate: how many enterprises, from which seed, into which directory, as of which day.
public struct GeneratorOptions: Sendable {
    public var enterprises: Int
    /// The whole data set is a function of this seed (and the other options): same options, same bytes.
    public var seed: UInt64
    public var outputDirectory: String
    /// The data's "today" (default 2024-12-31). A few percent of records are dated up to 90 days after
    /// it on purpose, so that point-in-time filtering has something to filter.
    public var asOf: Day
    /// Loaded from `Pipelines/regions.csv` (columns code, name_zh, city_code, city_name_zh).
    public var regions: ReferenceTable
    /// Loaded from `Pipelines/industries.csv` (columns code, section).
    public var industries: ReferenceTable
    /// Tax filings, by far the largest source, in this many files of contiguous enterprises, as a large
    /// delivery would come: the main file `tax/filings.csv.zst` and parts `tax/filings-2.csv.zst`, … beside it.
    public var filingsParts = 1
    /// Also write `outcomes/latent.csv`: each enterprise's hidden risk and inspection-outcome probabilities, the
    /// truth a back-test (`digitag model report`) is checked against. Off by default: SampleData has no such file.
    public var outcomes = false

    /// 2024-12-31, the as-of date of `SampleData`.
    public static let defaultAsOf = Day(Int32(Day.daysFromCivil(year: 2024, month: 12, day: 31)))

    public init(
        enterprises: Int, seed: UInt64, outputDirectory: String, asOf: Day = GeneratorOptions.defaultAsOf,
        regions: ReferenceTable, industries: ReferenceTable
    ) {
        self.enterprises = enterprises
        self.seed = seed
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.regions = regions
        self.industries = industries
    }
}

/// One file written by the generator.
public struct GeneratedFile: Sendable, Equatable {
    /// Relative to the output directory, e.g. `market/enterprises.csv`, `tax/filings.csv.zst`.
    public var path: String
    /// Data rows, header excluded.
    public var rows: Int

    public init(path: String, rows: Int) {
        self.path = path
        self.rows = rows
    }
}
