import Foundation

/// A copy of the shipped `Pipelines/` folder whose pipeline file a test changes.
public enum PipelineCopy {
    /// Copies `Pipelines/` into a fresh temporary folder and returns the path of its `shandong.yaml`, with the
    /// shipped `gates:` block replaced by `gates` (its lines, without the `gates:` line; nil removes the
    /// block) and `extra` appended.
    public static func make(gates: String?, extra: String = "", label: String = "pipelines") throws -> String {
        let dir = TestPaths.temporaryDirectory(label)
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        let file = dir + "/shandong.yaml"
        var text = withoutGates(TestPaths.read(file))
        if let gates { text += "gates:\n" + gates.split(separator: "\n").map { "  " + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") + "\n" }
        if !extra.isEmpty { text += extra + "\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The pipeline file without its top-level `gates:` block (the key and the indented lines under it).
    public static func withoutGates(_ text: String) -> String {
        var out: [Substring] = []
        var inGates = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("gates:") {
                inGates = true
                continue
            }
            if inGates && (line.hasPrefix(" ") || line.isEmpty) { continue }
            inGates = false
            out.append(line)
        }
        var result = out.joined(separator: "\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }
}
