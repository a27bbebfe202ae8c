import Foundation
import Logging

/// Log lines on stderr: plain text on a terminal; `logfmt` with a timestamp and level otherwise, so cron
/// and journald logs can be searched by field (`level=warning`, `command=run`).
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String
    let structured: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line: String
        if structured {
            var fields = [
                "ts=\(ISO8601DateFormatter().string(from: Date()))", "level=\(event.level.rawValue)", "logger=\(label)",
            ]
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            for key in all.keys.sorted() { fields.append("\(key)=\(Self.quoted("\(all[key]!)"))") }
            fields.append("msg=\(Self.quoted(event.message.description))")
            line = fields.joined(separator: " ")
        } else {
            line = event.level >= .warning ? "\(event.level.rawValue): \(event.message)" : "\(event.message)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
    }
}

/// The logger of a command run; the level comes from `--log-level`.
func makeLogger(_ command: String, level: Logger.Level) -> Logger {
    let structured = !stderrIsTerminal
    var logger = Logger(label: "digitag") { label in StderrLogHandler(logLevel: level, label: label, structured: structured) }
    logger[metadataKey: "command"] = "\(command)"
    return logger
}
