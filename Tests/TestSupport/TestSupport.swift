import Foundation

/// Helpers shared by every test target.
public enum TestPaths {
    /// The repository root, found from this file's path (Tests/TestSupport/TestSupport.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func repo(_ relative: String) -> String { repositoryRoot + "/" + relative }

    /// A fresh, empty temporary directory.
    public static func temporaryDirectory(_ label: String = "digitag") -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` (or bytes) to `dir/name`, creating folders; returns the path.
    @discardableResult
    public static func write(_ text: String, to dir: String, _ name: String) -> String {
        write(Array(text.utf8), to: dir, name)
    }

    @discardableResult
    public static func write(_ bytes: [UInt8], to dir: String, _ name: String) -> String {
        let path = dir + "/" + name
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    public static func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}
