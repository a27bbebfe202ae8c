import DataContract
import DigiTagBase

extension ResultsImporter.Summary {
    /// How many distinct enterprises the imported results are for.
    public var enterprises: Int { Set(inspections.map(\.uscc)).count }

    /// How often each result code occurs (an item may have several), in the codes' declared order; codes that
    /// do not occur are left out.
    public var resultCounts: [(code: InspectionResultCode, count: Int)] {
        var counts: [InspectionResultCode: Int] = [:]
        for i in inspections { for c in i.results { counts[c, default: 0] += 1 } }
        return InspectionResultCode.allCases.compactMap { c in counts[c].map { (c, $0) } }
    }

    /// The earliest and the latest publication deadline of the imported results; nil when none was imported.
    public var publishBy: ClosedRange<Day>? {
        guard let first = inspections.map(\.publishBy).min(), let last = inspections.map(\.publishBy).max() else { return nil }
        return first...last
    }
}
