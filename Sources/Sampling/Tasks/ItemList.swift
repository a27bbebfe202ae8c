import DataContract
import DigiTagBase
import DigiTagIO

/// One entry of the random-inspection item list (随机抽查事项清单).
public struct InspectionItem: Sendable, Hashable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// The department that inspects it (`market`, `tax`, …): inspectors of that department are drawn for it.
    public var department: String
    public var legalBasis: String

    public init(code: String, nameZh: String, nameEn: String, department: String, legalBasis: String) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.department = department
        self.legalBasis = legalBasis
    }
}

/// The item list (`Pipelines/items.csv`: code, name_zh, name_en, department, department_zh, legal_basis).
///
/// A task may only inspect items on the list: that is the "one list" of 一单两库.
public struct ItemList: Sendable {
    public var path: String
    public var items: [InspectionItem]
    /// Department code → Chinese name (市场监管部门, 税务部门), for the public notice.
    public var departmentNames: [String: String]

    public func item(_ code: String) -> InspectionItem? { items.first { $0.code == code } }

    public static func load(_ path: String) throws -> ItemList {
        let table = try ReferenceTable.load(
            path, requiredColumns: ["code", "name_zh", "name_en", "department", "department_zh", "legal_basis"])
        var problems: [Diagnostic] = []
        var items: [InspectionItem] = []
        var departments: [String: String] = [:]
        for (r, line) in table.lines.enumerated() {
            let f = table.record(r)
            let at = SourceLocation(file: path, line: line)
            let code = f["code"]!
            if code.isEmpty || f["department"]!.isEmpty {
                problems.append(Diagnostic(at, "an item needs a code and a department"))
                continue
            }
            if items.contains(where: { $0.code == code }) {
                problems.append(Diagnostic(at, "item '\(code)' is listed twice"))
                continue
            }
            if let known = departments[f["department"]!], known != f["department_zh"]! {
                problems.append(Diagnostic(at, "department '\(f["department"]!)' is named '\(known)' on an earlier line"))
            }
            departments[f["department"]!] = f["department_zh"]!
            items.append(
                InspectionItem(
                    code: code, nameZh: f["name_zh"]!, nameEn: f["name_en"]!, department: f["department"]!,
                    legalBasis: f["legal_basis"]!))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return ItemList(path: path, items: items, departmentNames: departments)
    }

    /// The task's items, checked against the list; unknown codes are reported at their place in the task.
    public func resolve(_ task: SamplingTask) throws(DiagnosticsError) -> [InspectionItem] {
        var out: [InspectionItem] = []
        var problems: [Diagnostic] = []
        for (i, code) in task.items.enumerated() {
            if let item = item(code) { out.append(item) } else {
                let at = i < task.itemLocations.count ? task.itemLocations[i] : task.location
                problems.append(
                    Diagnostic(
                        at, "'\(code)' is not on the inspection item list \(path)",
                        hint: closestMatch(to: code, in: items.map(\.code)).map { "did you mean '\($0)'?" }))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return out
    }
}
