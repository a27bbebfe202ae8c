import DigiTagBase
import Foundation

@testable import Generator

/// The sources and fields of `Pipelines/sources.yaml`, read with a minimal line-based reader (the test
/// target has no YAML library). It understands exactly the layout of that file: a source name at
/// indentation 2, `files:` at 4, one `name: {type: …, values: […], optional: true}` line per field at 6.
struct SourceContract {
    struct Field {
        var name: String
        var type: String
        var values: [String]
        var optional: Bool
    }

    struct Source {
        var name: String
        var files: String
        var fields: [Field]
    }

    let sources: [Source]

    init(path: String) throws {
        let text = try FileSystem.readText(path)
        var sources: [Source] = []
        var inFields = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            let indent = line.prefix { $0 == " " }.count
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            if indent == 2 && content.hasSuffix(":") {
                sources.append(Source(name: String(content.dropLast()), files: "", fields: []))
                inFields = false
            } else if indent == 4 && content.hasPrefix("files:") {
                sources[sources.count - 1].files = content.dropFirst("files:".count).trimmingCharacters(
                    in: .whitespaces)
            } else if indent == 4 {
                inFields = content == "fields:"
            } else if indent == 6 && inFields, let colon = content.firstIndex(of: ":") {
                let name = String(content[..<colon])
                let spec = String(content[content.index(after: colon)...])
                sources[sources.count - 1].fields.append(
                    Field(
                        name: name, type: SourceContract.value(of: "type", in: spec) ?? "",
                        values: SourceContract.list(of: "values", in: spec),
                        optional: SourceContract.value(of: "optional", in: spec) == "true"))
            }
        }
        self.sources = sources
    }

    /// `type: enum` → "enum" (up to the next comma or closing brace).
    private static func value(of key: String, in spec: String) -> String? {
        guard let r = spec.range(of: key + ":") else { return nil }
        let rest = spec[r.upperBound...]
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: .whitespaces)
    }

    private static func list(of key: String, in spec: String) -> [String] {
        guard let r = spec.range(of: key + ":"), let open = spec[r.upperBound...].firstIndex(of: "["),
            let close = spec[open...].firstIndex(of: "]")
        else { return [] }
        return spec[spec.index(after: open)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The generated file of a source: `<files>.csv`, except tax filings, which are compressed.
    static func generatedPath(_ source: Source) -> String {
        source.files == "tax/filings" ? source.files + ".csv.zst" : source.files + ".csv"
    }
}
