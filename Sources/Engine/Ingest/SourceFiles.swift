import DigiTagBase
import DigiTagIO

/// Finds a source's files: `<base>.csv`, `<base>.csv.zst` and parts `<base>-*.csv[.zst]`, sorted by name.
public enum SourceFiles {
    public static func find(input: String, base: String) -> [String] {
        let full = FileSystem.join(input, base)
        let dir = FileSystem.directoryOf(full)
        let stem = String(full.dropFirst(dir.count + (dir.isEmpty ? 0 : 1)))
        return FileSystem.list(dir).filter { name in
            guard name.hasSuffix(".csv") || name.hasSuffix(".csv.zst") else { return false }
            let noExt = name.hasSuffix(".csv.zst") ? String(name.dropLast(8)) : String(name.dropLast(4))
            return noExt == stem || noExt.hasPrefix(stem + "-")
        }.map { FileSystem.join(dir, $0) }
    }
}
