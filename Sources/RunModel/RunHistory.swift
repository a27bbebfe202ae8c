import DigiTagBase
import Foundation

/// The published runs under an output directory: listing and retention.
public enum RunHistory {
    public struct Entry: Sendable {
        public var name: String
        public var isCurrent: Bool
        public var manifest: Manifest?
    }

    /// Published runs (directories named by as-of date with a manifest), oldest first.
    public static func list(root: String) -> [Entry] {
        let current = try? FileManager.default.destinationOfSymbolicLink(atPath: FileSystem.join(root, "current"))
        return FileSystem.list(root).filter { name in
            name.count == 10 && Day(iso: name) != nil && FileSystem.isDirectory(FileSystem.join(root, name))
        }.map { name in
            Entry(name: name, isCurrent: name == current, manifest: try? Manifest.read(FileSystem.join(FileSystem.join(root, name), "manifest.json")))
        }
    }

    /// Deletes the oldest published runs beyond `keep`, never the current one nor `keeping` (the run just
    /// published: a backfill, older than the rest, is not deleted by its own run). Returns what it removed.
    public static func prune(root: String, keep: Int, keeping: String? = nil) throws -> [String] {
        let runs = list(root: root)
        guard runs.count > keep else { return [] }
        var removed: [String] = []
        for r in runs.prefix(runs.count - keep) where !r.isCurrent && r.name != keeping {
            try FileManager.default.removeItem(atPath: FileSystem.join(root, r.name))
            removed.append(r.name)
        }
        return removed
    }
}
