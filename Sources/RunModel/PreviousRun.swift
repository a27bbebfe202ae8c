import DigiTagBase
import Engine
import Foundation

/// The run published before this one (`<out>/current`), as `min_rows_vs_previous` compares with it.
public enum PreviousRun: Sendable {
    /// Nothing published in this directory yet (the first run): nothing to compare with.
    case nothingPublished
    case published(Manifest)
    /// A run is published but its manifest cannot be read or decoded: comparing with nothing instead
    /// would let a bad delivery through, so the gate fails and names the file.
    case unreadable(manifest: String, reason: String)

    /// Reads the manifest of the run `<root>/current` points to.
    public static func load(root: String) -> PreviousRun {
        let current = FileSystem.join(root, "current")
        // `current` is the symbolic link the first publish makes; a link to a run that is gone still counts.
        let linked = (try? FileManager.default.destinationOfSymbolicLink(atPath: current)) != nil
        guard linked || FileManager.default.fileExists(atPath: current) else { return .nothingPublished }
        let path = FileSystem.join(current, "manifest.json")
        do {
            return .published(try Manifest.read(path))
        } catch {
            return .unreadable(manifest: path, reason: reason(error))
        }
    }

    /// What went wrong: the manifest's absence, or the decoder's error (its path and what it expected).
    static func reason(_ error: any Error) -> String {
        let text = (error as? InputError)?.message ?? "\(error)"
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
