import DataContract
import DigiTagBase
import DigiTagIO

extension SourceFiles {
    /// The files of `source` under `input`, checked against what a delivery of it consists of: the main
    /// file `<files>.csv` (or `.csv.zst`) is required, parts `<files>-*.csv[.zst]` come beside it when the
    /// source allows them, and no file is there both plain and compressed.
    ///
    /// An input error (exit 3) names the missing main file, the unexpected part or both halves of a pair.
    public static func required(_ source: SourceSchema, input: String) throws -> [String] {
        let files = find(input: input, base: source.files)
        let base = FileSystem.join(input, source.files)
        let main = files.filter { $0 == base + ".csv" || $0 == base + ".csv.zst" }
        guard !main.isEmpty else {
            let parts = files.map { String($0.dropFirst(FileSystem.directoryOf(base).count + 1)) }
            throw InputError(
                file: base + ".csv",
                message: parts.isEmpty
                    ? "no file for source \(source.name) (looked for \(source.files).csv, .csv.zst"
                        + (source.parts ? " and \(source.files)-*.csv[.zst])" : ")")
                    : "no file for source \(source.name) (looked for \(source.files).csv and .csv.zst; found only the part"
                        + "\(parts.count > 1 ? "s" : "") \(parts.joined(separator: ", ")): the main file is required)")
        }
        for f in files where f.hasSuffix(".csv.zst") && files.contains(String(f.dropLast(4))) {
            throw InputError(
                file: String(f.dropLast(4)), message: "delivered twice, plain and compressed, beside \(f) (keep one of them)")
        }
        if !source.parts, let part = files.first(where: { !main.contains($0) }) {
            throw InputError(file: part, message: "source \(source.name) takes no part files (`parts: false` in sources.yaml)")
        }
        return files
    }

    /// Refuses byte-identical files among all of a run's inputs (the same delivery copied twice, e.g. as
    /// a part): files of equal size are hashed and compared; sizes alone clear the rest without reading.
    ///
    /// - Complexity: reads only files whose size another input shares.
    public static func refuseIdentical(_ files: [String]) throws {
        var bySize: [Int64: [String]] = [:]
        for f in files { bySize[FileSystem.size(f), default: []].append(f) }
        for (_, same) in bySize.sorted(by: { $0.key < $1.key }) where same.count > 1 {
            var byHash: [String: String] = [:]
            for f in same {
                let hash = try ByteSource.sha256(ofStoredFile: f)
                if let first = byHash[hash] {
                    throw InputError(
                        file: f, message: "is byte for byte the same as \(first): the same delivery twice (remove one of them)")
                }
                byHash[hash] = f
            }
        }
    }
}
