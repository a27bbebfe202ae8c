import DigiTagBase
import DigiTagIO

extension Ingest {
    /// libcsv alone over `files`: rows and fields counted, nothing validated, hashed or kept — the floor of
    /// what reading them can cost. Files are spread over `threads` as a run's ingest spreads them, largest first.
    public static func tokenize(_ files: [String], threads: Int) throws -> TokenizeCount {
        let ordered = files.sorted { FileSystem.size($0) > FileSystem.size($1) }
        let counts = try Parallel.map(count: ordered.count, threads: threads) { try CSVReader.tokenize(path: ordered[$0]) }
        return counts.reduce(into: TokenizeCount()) {
            $0.storedBytes += $1.storedBytes
            $0.csvBytes += $1.csvBytes
            $0.rows += $1.rows
            $0.fields += $1.fields
        }
    }
}
