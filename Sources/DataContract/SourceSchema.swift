import DigiTagBase

/// The kind of value a source column holds, and so how its text is validated and stored.
public enum FieldType: String, Sendable, CaseIterable {
    case uscc, text, date, integer, amount, number, year, period, flag, `enum`, region, industry

    /// How the engine stores a validated value of this type.
    public enum Storage: Sendable { case key, text, number, code }

    public var storage: Storage {
        switch self {
        case .uscc: return .key
        case .text: return .text
        case .date, .integer, .amount, .number, .year, .period, .flag: return .number
        case .enum, .region, .industry: return .code
        }
    }

    /// What a person should have written, for reject reasons.
    public var expectation: String {
        switch self {
        case .uscc: return "an 18-character USCC with a valid check character"
        case .text: return "text"
        case .date: return "a date as YYYY-MM-DD"
        case .integer: return "a whole number"
        case .amount: return "a non-negative amount with at most 2 decimals"
        case .number: return "a number"
        case .year: return "a year as YYYY"
        case .period: return "a month as YYYY-MM"
        case .flag: return "Y or N"
        case .enum: return "one of the listed codes"
        case .region: return "a 6-digit county code from regions.csv"
        case .industry: return "an industry division code from industries.csv"
        }
    }
}

/// One column of a source.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var optional: Bool
    /// Allowed codes for `enum` fields (for region/industry: filled from the reference tables).
    public var values: [String]
    public var unit: String?
    /// A date known in advance (an expiry, a due date): kept even when it is after the as-of date.
    /// Other dates after the as-of date (a removal, a payment) had not happened that night and read as empty.
    public var planned: Bool
    /// Date fields: `9999-12-31` ("long-term", 长期) and `0001-01-01` (unknown), the usual placeholders of
    /// licence data, are accepted (`open_ended: true`): the first reads as a date far in the future, the
    /// second as empty. Elsewhere they are rejected like any date outside 1900–2199.
    public var openEnded: Bool
    /// Integer fields: negative values allowed (`signed: true`); by default an integer is a count, ≥ 0.
    public var signed: Bool
    /// Enum fields: each code's Chinese label (`labels_zh:`, a list parallel to `values`), shown in evidence.
    public var labelsZh: [String: String] = [:]
    public var location: SourceLocation

    public init(name: String, type: FieldType, optional: Bool = false, values: [String] = [], unit: String? = nil,
                planned: Bool = false, openEnded: Bool = false, signed: Bool = false,
                location: SourceLocation = SourceLocation(file: "-")) {
        self.name = name
        self.type = type
        self.optional = optional
        self.values = values
        self.unit = unit
        self.planned = planned
        self.openEnded = openEnded
        self.signed = signed
        self.location = location
    }

    /// True where tag expressions treat the field as a date.
    public var isDate: Bool { type == .date || type == .period }
}

/// A source's schema: where its files are, its fields, which date makes a record exist.
public struct SourceSchema: Sendable, Hashable {
    public var name: String
    /// Base path under the input directory, without `.csv`.
    public var files: String
    public var department: String
    /// True for the registration source: one row per enterprise, the directory others refer to.
    public var isEntity: Bool
    public var eventDate: String
    public var fields: [FieldSpec]
    /// True when a quoted field may hold line breaks (`multiline: true`, e.g. a postal address). Otherwise
    /// (the default: codes, dates, numbers, one-line names) a quote still open at the end of a line
    /// rejects that line and reading resumes at the next one.
    public var multiline: Bool = false
    /// What the delivery's files are written in (`encoding:`); converted to UTF-8 while reading.
    public var encoding: TextEncoding = .utf8
    /// True when parts `<files>-*.csv[.zst]` may come beside the main file (`parts: true`, the default).
    /// The main file `<files>.csv[.zst]` is always required.
    public var parts: Bool = true
    /// The natural key (`key:`), as schema field indices in the order declared; it includes the USCC field.
    /// Empty when the source declares none: its records are then counted as delivered (`NaturalKey`).
    public var key: [Int] = []
    public var location: SourceLocation

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// Every source of a pipeline, in file order, plus the code tables their fields refer to.
public struct SourceCatalog: Sendable {
    public var sources: [SourceSchema]
    public var regions: ReferenceTable
    public var industries: ReferenceTable

    public func source(_ name: String) -> SourceSchema? { sources.first { $0.name == name } }
    public var entitySource: SourceSchema { sources.first { $0.isEntity }! }

    /// Reads `sources.yaml`, checking every key; region and industry fields get their codes from the tables.
    public static func load(path: String, regions: ReferenceTable, industries: ReferenceTable) throws -> SourceCatalog {
        let root = try YAMLNode.parse(try FileSystem.readText(path), file: path)
        var problems: [Diagnostic] = []
        var top = YAMLFieldReader(root, what: "the sources file")
        var sources: [SourceSchema] = []
        let regionCodes = regions.column("code")
        let industryCodes = industries.column("code")
        if let list = top.node("sources", required: true) {
            for (name, keyLocation, body) in list.pairs {
                var r = YAMLFieldReader(body, what: "source '\(name)'")
                let files = r.string("files", required: true) ?? name
                let department = r.string("department") ?? "market"
                let entity = r.bool("entity") ?? false
                let eventDate = r.string("event_date", required: true) ?? ""
                let multiline = r.bool("multiline") ?? false
                let parts = r.bool("parts") ?? true
                var encoding = TextEncoding.utf8
                if let e = r.string("encoding") {
                    if let known = TextEncoding(name: e) {
                        encoding = known
                    } else {
                        r.report(
                            Diagnostic(
                                body["encoding"]?.location ?? keyLocation, "unknown encoding '\(e)'",
                                hint: "one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                }
                var fields: [FieldSpec] = []
                if let fieldNodes = r.node("fields", required: true) {
                    for (fname, floc, fbody) in fieldNodes.pairs {
                        var fr = YAMLFieldReader(fbody, what: "field '\(name).\(fname)'")
                        let typeName = fr.string("type", required: true) ?? "text"
                        var type = FieldType(rawValue: typeName)
                        if type == nil {
                            fr.report(
                                Diagnostic(
                                    fbody["type"]?.location ?? floc, "unknown field type '\(typeName)'",
                                    hint: closestMatch(to: typeName, in: FieldType.allCases.map(\.rawValue))
                                        .map { "did you mean '\($0)'?" }))
                            type = .text
                        }
                        var values = fr.strings("values") ?? []
                        if type == .enum && values.isEmpty {
                            fr.report(Diagnostic(floc, "enum field '\(name).\(fname)' needs a list of `values`"))
                        }
                        if type == .region { values = regionCodes }
                        if type == .industry { values = industryCodes }
                        let optional = fr.bool("optional") ?? false
                        let unit = fr.string("unit")
                        let planned = fr.bool("planned") ?? false
                        let openEnded = fr.bool("open_ended") ?? false
                        let signed = fr.bool("signed") ?? false
                        let labels = fr.strings("labels_zh") ?? []
                        if !labels.isEmpty && (type != .enum || labels.count != values.count) {
                            fr.report(
                                Diagnostic(
                                    fbody["labels_zh"]?.location ?? floc,
                                    "`labels_zh` of '\(name).\(fname)' must list one label per value of an enum field (\(values.count))"))
                        }
                        if openEnded && type != .date {
                            fr.report(Diagnostic(fbody["open_ended"]?.location ?? floc, "`open_ended` applies to date fields only"))
                        }
                        if signed && type != .integer {
                            fr.report(Diagnostic(fbody["signed"]?.location ?? floc, "`signed` applies to integer fields only"))
                        }
                        problems += fr.finish()
                        var spec = FieldSpec(
                            name: fname, type: type!, optional: optional, values: values, unit: unit, planned: planned,
                            openEnded: openEnded, signed: signed, location: floc)
                        if labels.count == values.count { spec.labelsZh = Dictionary(zip(values, labels)) { a, _ in a } }
                        fields.append(spec)
                    }
                }
                var key: [Int] = []
                if let keyNode = r.node("key") {
                    let parsed = NaturalKey.fields(keyNode, source: name, fields: fields, isEntity: entity)
                    key = parsed.indices
                    problems += parsed.problems
                }
                if !fields.contains(where: { $0.type == .uscc }) {
                    r.report(Diagnostic(keyLocation, "source '\(name)' needs a field of type uscc (the enterprise key)"))
                }
                if !eventDate.isEmpty, !(fields.contains { $0.name == eventDate && $0.isDate }) {
                    r.report(
                        Diagnostic(
                            body["event_date"]?.location ?? keyLocation,
                            "event_date '\(eventDate)' is not a date field of source '\(name)'"))
                }
                problems += r.finish()
                sources.append(
                    SourceSchema(
                        name: name, files: files, department: department, isEntity: entity, eventDate: eventDate,
                        fields: fields, multiline: multiline, encoding: encoding, parts: parts, key: key,
                        location: keyLocation))
            }
        }
        problems += top.finish()
        let entities = sources.filter(\.isEntity)
        if entities.count != 1 {
            problems.append(
                Diagnostic(
                    root.location, "exactly one source must be marked `entity: true` (the registration directory), found \(entities.count)"))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return SourceCatalog(sources: sources, regions: regions, industries: industries)
    }
}
