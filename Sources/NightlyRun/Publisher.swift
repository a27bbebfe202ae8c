import DigiTagBase
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes a finished run visible: the staging directory becomes `<root>/<name>`, then `current` is
/// switched to it with one `rename(2)` of a symbolic link, which readers see either before or after.
public enum Publisher {
    public static func publish(staging: String, root: String, name: String) throws -> String {
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
