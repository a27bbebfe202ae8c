import DigiTagBase

/// What kind of value a tag has.
public enum TagKind: String, Sendable, CaseIterable {
    case boolean, categorical, numeric, date

    func accepts(_ t: ValueType) -> Bool {
        switch (self, t) {
        case (.boolean, .bool), (.numeric, .number), (.date, .date), (.categorical, .category): return true
        default: return false
        }
    }
}

/// The indicator dimensions of the national credit-risk guidance (DOMAIN.md).
public enum Dimension: String, Sendable, CaseIterable {
    case basic, dynamic, supervision, related, social
    case otherDepartments = "other_departments"

    public var chineseName: String {
        switch self {
        case .basic: return "基础属性"
        case .dynamic: return "动态信息"
        case .supervision: return "监管信息"
        case .related: return "关联关系"
        case .social: return "社会评价"
        case .otherDepartments: return "其他部门"
        }
    }
}

/// Who may see a tag's value.
public enum Sensitivity: String, Sendable, CaseIterable { case `public`, `internal`, confidential }

/// A tag as written (or expanded from a family), before its expression is compiled.
public struct TagDefinition: Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var description: String
    public var kind: TagKind
    public var unit: String?
    public var family: String
    public var dimension: Dimension
    public var sensitivity: Sensitivity
    public var version: Int
    public var expression: String
    /// Where the expression text starts, for file:line:column of errors inside it.
    public var expressionLocation: SourceLocation
    /// Columns the expression's first character is shifted by (1 for a quoted scalar).
    public var expressionColumnShift: Int
    /// Where the tag (or the family that made it) is defined.
    public var location: SourceLocation
    /// For tags expanded from a family: the family template id and the parameter values used.
    public var template: String?
    public var parameters: [(name: String, value: String)]

    /// The place of a character offset inside the expression.
    public func location(ofOffset offset: Int) -> SourceLocation {
        let scalars = Array(expression.unicodeScalars)
        let before = scalars.prefix(offset)
        let newlines = before.filter { $0 == "\n" }.count
        var loc = expressionLocation
        if newlines == 0 || template != nil {
            loc.column = (loc.column ?? 1) + expressionColumnShift + (template == nil ? offset : 0)
        } else {
            let lastNewline = before.lastIndex(of: "\n")!
            loc.line = (loc.line ?? 1) + newlines
            loc.column = offset - lastNewline + (loc.column ?? 1) - 1
        }
        return loc
    }
}
