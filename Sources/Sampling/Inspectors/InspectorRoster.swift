import DataContract
import DigiTagBase
import DigiTagIO

/// A law-enforcement inspector of the inspector directory (执法检查人员名录库).
public struct Inspector: Sendable, Hashable {
    public var id: String
    public var name: String
    public var department: String
    /// The county the inspector is based in, and its city.
    public var county: String
    public var city: String
    /// Item codes the inspector is qualified for.
    public var items: Set<String>
    /// The most enterprises the inspector may visit in one task.
    public var maxLoad: Int
    /// USCCs of enterprises the inspector declared a relationship with (回避).
    public var conflicts: Set<String>

    public init(
        id: String, name: String, department: String, county: String, city: String, items: Set<String>, maxLoad: Int,
        conflicts: Set<String> = []
    ) {
        self.id = id
        self.name = name
        self.department = department
        self.county = county
        self.city = city
        self.items = items
        self.maxLoad = maxLoad
        self.conflicts = conflicts
    }
}

/// The inspector directory, `inspectors.csv`: inspector_id, name, department, region, items, max_load, conflicts.
///
/// `items` and `conflicts` are `;`-separated. Every row is checked; all problems are reported together,
/// each with its line.
public struct InspectorRoster: Sendable {
    public var path: String
    public var inspectors: [Inspector]

    public init(path: String, inspectors: [Inspector]) {
        self.path = path
        self.inspectors = inspectors
    }

    /// - Parameter cityOfCounty: the regions table (county code → city code); an inspector's region must be in it.
    public static func load(_ path: String, cityOfCounty: [String: String]) throws -> InspectorRoster {
        let table = try ReferenceTable.load(
            path, requiredColumns: ["inspector_id", "name", "department", "region", "items", "max_load", "conflicts"])
        var problems: [Diagnostic] = []
        var inspectors: [Inspector] = []
        var seen: [String: Int] = [:]
        for (r, line) in table.lines.enumerated() {
            let f = table.record(r)
            let at = SourceLocation(file: path, line: line)
            let id = f["inspector_id"]!
            guard !id.isEmpty, !id.contains(where: { $0 == "\u{1F}" || $0 == ";" }) else {
                problems.append(Diagnostic(at, "inspector_id must be non-empty and may not contain ';'"))
                continue
            }
            if let first = seen[id] {
                problems.append(Diagnostic(at, "inspector '\(id)' is listed twice", hint: "first on line \(first)"))
                continue
            }
            seen[id] = line
            guard let load = Int(f["max_load"]!), load >= 0 else {
                problems.append(Diagnostic(at, "max_load of '\(id)' must be a whole number ≥ 0, found '\(f["max_load"]!)'"))
                continue
            }
            let county = f["region"]!
            guard let city = cityOfCounty[county] else {
                problems.append(Diagnostic(at, "region '\(county)' of '\(id)' is not a county of the regions table"))
                continue
            }
            guard !f["department"]!.isEmpty else {
                problems.append(Diagnostic(at, "inspector '\(id)' has no department"))
                continue
            }
            let items = Set(f["items"]!.split(separator: ";").map { $0.trimmingSpaces })
            let conflicts = Set(f["conflicts"]!.split(separator: ";").map { $0.trimmingSpaces })
            for c in conflicts where !USCC.isValid(c) {
                problems.append(Diagnostic(at, "conflict '\(c)' of '\(id)' is not a valid USCC"))
            }
            inspectors.append(
                Inspector(
                    id: id, name: f["name"]!, department: f["department"]!, county: county, city: city, items: items, maxLoad: load,
                    conflicts: conflicts))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return InspectorRoster(path: path, inspectors: inspectors)
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
