import DataContract
import DigiTagBase

extension SourceFiles {
    /// The files of `source` under `input`; an input error naming every name looked for when there are none.
    public static func required(_ source: SourceSchema, input: String) throws -> [String] {
        let files = find(input: input, base: source.files)
        guard !files.isEmpty else {
            throw InputError(
                file: FileSystem.join(input, source.files + ".csv"),
                message: "no file for source \(source.name) (looked for \(source.files).csv, .csv.zst and \(source.files)-*.csv[.zst])")
        }
        return files
    }
}
