import DigiTagIO
import Foundation

extension TagStatistics {
    /// Writes one row per tag: id, type, family, coverage (6 decimals), constant (1/0), duplicate_of.
    public func writeCSV(to path: String) throws {
        let w = try CSVWriter(path: path, header: ["id", "type", "family", "coverage", "constant", "duplicate_of"])
        for e in entries {
            try w.row([e.id, e.type, e.family, String(format: "%.6f", e.coverage), e.constant ? "1" : "0", e.duplicateOf ?? ""])
        }
        try w.close()
    }
}
