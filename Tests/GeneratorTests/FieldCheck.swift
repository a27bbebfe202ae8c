import DataContract
import DigiTagBase
import DigiTagIO
import Foundation

/// Checks one value against its field's type in `sources.yaml`, as the contract at the top of that file
/// describes the types. Used on generated rows and on the hand-made edge cases.
struct FieldCheck {
    let regions: Set<String>
    let industries: Set<String>

    init() throws {
        regions = Set(
            try ReferenceTable.load(Fixture.path("Pipelines/regions.csv"), requiredColumns: ["code"]).column("code"))
        industries = Set(
            try ReferenceTable.load(Fixture.path("Pipelines/industries.csv"), requiredColumns: ["code"]).column("code"))
    }

    /// Why `value` is not valid for `field`, or nil.
    func problem(_ value: String, _ field: SourceContract.Field) -> String? {
        if value.isEmpty { return field.optional ? nil : "empty in a required field" }
        switch field.type {
        case "uscc": return USCC.isValid(value) ? nil : "not a valid USCC"
        case "date": return Day(iso: value) == nil ? "not YYYY-MM-DD" : nil
        case "integer": return Int(value).map { $0 >= 0 ? nil : "negative" } ?? "not an integer"
        case "number": return Double(value) == nil ? "not a number" : nil
        case "amount":
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2,
                parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            else { return "not a non-negative decimal" }
            return parts.count == 2 && parts[1].count > 2 ? "more than 2 decimals" : nil
        case "year": return value.count == 4 && Int(value) != nil ? nil : "not YYYY"
        case "period":
            guard value.count == 7, let day = Day(iso: value + "-01") else { return "not YYYY-MM" }
            return day.description.hasPrefix(value) ? nil : "not YYYY-MM"
        case "flag": return value == "Y" || value == "N" ? nil : "not Y/N"
        case "enum": return field.values.contains(value) ? nil : "not one of \(field.values)"
        case "region": return regions.contains(value) ? nil : "not a code of regions.csv"
        case "industry": return industries.contains(value) ? nil : "not a code of industries.csv"
        case "text": return nil
        default: return "unknown type \(field.type)"
        }
    }
}
