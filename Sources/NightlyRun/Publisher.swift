import DigiTagBase
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes a finished run visible: the staging directory becomes `<root>/<name>`, then `current` is
/// switched to it with one `rename(2)` of a symbolic link, which readers see either before or after.
///
/// A backfill — a run whose name (its as-of date, YYYY-MM-DD, so names order as dates) is earlier than the
/// run `current` points to — is published beside the others without moving `current`, unless
/// `makeCurrent` asks for it: re-running an old night must not turn every reader back to that night.
public enum Publisher {
    /// Whether publishing a run named `name` switches `current` (see the type's comment).
    public static func movesCurrent(root: String, name: String, makeCurrent: Bool) -> Bool {
        if makeCurrent { return true }
        guard let now = try? FileManager.default.destinationOfSymbolicLink(atPath: FileSystem.join(root, "current")) else { return true }
        let current = (now as NSString).lastPathComponent
        return !(name < current) || !FileSystem.exists(FileSystem.join(root, current))
    }

    public static func publish(staging: String, root: String, name: String, makeCurrent: Bool = true) throws -> String {
        let switchCurrent = movesCurrent(root: root, name: name, makeCurrent: makeCurrent)
        let final = FileSystem.join(root, name)
        let fm = FileManager.default
        if fm.fileExists(atPath: final) {
            let replaced = FileSystem.join(root, ".replaced-\(name)-\(getpid())")
            try fm.moveItem(atPath: final, toPath: replaced)
            try fm.moveItem(atPath: staging, toPath: final)
            try? fm.removeItem(atPath: replaced)
        } else {
            try fm.moveItem(atPath: staging, toPath: final)
        }
        if !switchCurrent { return final }
        let link = FileSystem.join(root, "current")
        let tmp = FileSystem.join(root, ".current-\(getpid())")
        try? fm.removeItem(atPath: tmp)
        try fm.createSymbolicLink(atPath: tmp, withDestinationPath: name)
        guard rename(tmp, link) == 0 else {
            throw WriteError.fromErrno(link, errno)
        }
        return final
    }
}
