import DigiTagBase

/// A record source's natural key (`key:` in sources.yaml): the fields that identify one record, such as a
/// filing's enterprise, period and tax type. Two records of one source with equal keys are the same record
/// delivered twice; the run keeps the first and reports the others (docs/operators.md, "Input deliveries").
///
/// The key always holds the source's USCC field: records are compared per enterprise, in the shard that
/// holds the enterprise, so detection needs neither another pass over the data nor a set of every key.
public enum NaturalKey {
    /// The schema field indices of the `key:` list at `node`, in the order written, and what is wrong with it.
    ///
    /// Refused with their place: a field the source does not have (with a suggestion), a field named twice,
    /// an empty list, a key without the USCC field, and any key on the registration source (whose key is
    /// the USCC: a second registration of one USCC is already rejected row by row).
    public static func fields(
        _ node: YAMLNode, source: String, fields: [FieldSpec], isEntity: Bool
    ) -> (indices: [Int], problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        if isEntity {
            return (
                [],
                [
                    Diagnostic(
                        node.location, "source '\(source)' is the registration directory: its key is the USCC and cannot be declared",
                        hint: "remove `key:`; a second registration of one USCC is rejected row by row")
                ]
            )
        }
        let items: [YAMLNode] = node.scalarText != nil ? [node] : node.items
        var indices: [Int] = []
        for item in items {
            guard let name = item.scalarText, !name.isEmpty else {
                problems.append(Diagnostic(item.location, "the key of source '\(source)' must be a list of its field names"))
                continue
            }
            guard let i = fields.firstIndex(where: { $0.name == name }) else {
                problems.append(
                    Diagnostic(
                        item.location, "unknown field '\(name)' in the key of source '\(source)'",
                        hint: closestMatch(to: name, in: fields.map(\.name)).map { "did you mean '\($0)'?" }
                            ?? "one of \(fields.map(\.name).joined(separator: ", "))"))
                continue
            }
            if indices.contains(i) {
                problems.append(Diagnostic(item.location, "field '\(name)' is named twice in the key of source '\(source)'"))
                continue
            }
            indices.append(i)
        }
        if items.isEmpty {
            problems.append(
                Diagnostic(
                    node.location, "the key of source '\(source)' is empty",
                    hint: "list the fields that identify one record, e.g. [uscc, period, tax_type], or remove `key:`"))
        } else if problems.isEmpty, let usccField = fields.firstIndex(where: { $0.type == .uscc }), !indices.contains(usccField) {
            problems.append(
                Diagnostic(
                    node.location, "the key of source '\(source)' must include its USCC field '\(fields[usccField].name)'",
                    hint: "records are compared per enterprise: key: [\(([fields[usccField].name] + indices.map { fields[$0].name }).joined(separator: ", "))]"
                ))
        }
        return (problems.isEmpty ? indices : [], problems)
    }
}
