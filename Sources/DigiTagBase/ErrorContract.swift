import Foundation

/// The kinds of failure an operator must tell apart, each with its documented exit code.
///
/// Scripts and the systemd unit branch on these numbers (`docs/operators.md`), so they never change
/// meaning; a new kind gets a new number.
public enum ExitStatus: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case success = 0
    /// A bug: the message says so and asks for a report. Nothing else should ever end with 1.
    case internalError = 1
    /// The pipeline, tag, risk-model or task files are wrong (file:line:column in the message).
    case configuration = 2
    /// An input file handed in (a delivery, inspection results) cannot be used as it is.
    case badInput = 3
    /// A data-quality gate failed: nothing was published.
    case gateFailed = 4
    /// Another run holds the output directory's lock.
    case runActive = 5
    /// Inspectors cannot be assigned under the task's rules, or nobody is left to replace an enterprise.
    case assignmentImpossible = 6
    /// A sample does not verify, or its inputs changed since it was drawn.
    case verificationFailed = 7
    /// The machine, not the data: a full disk, a read-only or missing folder, no permission. Nothing
    /// was published and the previous run is intact; fix the environment and run again.
    case environment = 8
    /// The task was drawn already into this sample folder: a second draw is refused (nothing changed); a
    /// redraw is an explicit, recorded act (`--redraw --reason TEXT`) that keeps the earlier draw.
    case alreadyDrawn = 9
    /// Wrong command-line usage (ArgumentParser's own code for a failed validation).
    case usage = 64

    public var description: String {
        switch self {
        case .success: "success"
        case .internalError: "internal error"
        case .configuration: "configuration error"
        case .badInput: "bad input"
        case .gateFailed: "gate failed"
        case .runActive: "another run is active"
        case .assignmentImpossible: "assignment impossible"
        case .verificationFailed: "verification failed"
        case .environment: "environment error"
        case .alreadyDrawn: "already drawn"
        case .usage: "wrong usage"
        }
    }
}

/// An error that knows which exit code it means and how to say it to a person.
///
/// Every error the libraries throw conforms, so the command line never has to guess: an error that does
/// not conform (one from Foundation, say) is classified by `ExitStatus.of(_:)`, and anything still
/// unknown is an internal error — a bug to report.
public protocol DigitagError: Error, CustomStringConvertible {
    /// The exit code this failure means.
    var exitStatus: ExitStatus { get }
    /// The lines printed on stderr, each a whole sentence a regulator or operator can act on.
    /// Defaults to `digitag: <description>`.
    var report: [String] { get }
}

extension DigitagError {
    public var report: [String] { ["digitag: \(description)"] }
}

/// A file or folder that could not be written: which one, why (the system's words), and what to do.
///
/// Always an environment failure (exit 8): the data was fine, the machine refused.
public struct WriteError: DigitagError, Sendable {
    public var path: String
    /// The system's own wording (strerror), e.g. "No space left on device".
    public var reason: String
    /// errno when the failure came from a system call.
    public var code: Int32?

    public init(path: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    /// From the current `errno`, after a failed system call.
    public static func fromErrno(_ path: String, _ code: Int32) -> WriteError {
        WriteError(path: path, reason: String(cString: strerror(code)), code: code)
    }

    public var exitStatus: ExitStatus { .environment }

    public var description: String { "cannot write \(path): \(reason)" }

    public var report: [String] {
        var advice = "check that the folder exists and is writable by this user, then run again"
        if code == ENOSPC || code == EDQUOT { advice = "free space on that disk (or write elsewhere), then run again" }
        if code == EROFS { advice = "the file system is mounted read-only: write elsewhere, then run again" }
        return ["digitag: \(description)", "digitag: \(advice); nothing was published and earlier runs are intact"]
    }
}

extension ExitStatus {
    /// The exit status an error means: its own for a `DigitagError`, environment for the file-system
    /// errors Foundation throws (no permission, disk full, missing folder), internal error otherwise.
    public static func of(_ error: any Error) -> ExitStatus {
        if let e = error as? any DigitagError { return e.exitStatus }
        if environmentDescription(error) != nil { return .environment }
        return .internalError
    }

    /// The system's reason for a Foundation file error ("No space left on device"), else its description.
    public static func environmentReason(_ error: any Error) -> String {
        if let code = posixCode(error) { return String(cString: strerror(code)) }
        return (error as NSError).localizedDescription
    }

    /// The errno behind a Foundation file error, when it carries one.
    public static func posixCode(_ error: any Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }

    /// For an error Foundation threw while touching a file: "<path>: <reason>", else nil.
    public static func environmentDescription(_ error: any Error) -> String? {
        let ns = error as NSError
        // Cocoa's file errors are the codes below 1024 (4 no such file, 257 no read permission, 513 no write
        // permission, 640 out of space, 642 read-only volume …); its coder errors (4864 …) are not the machine's.
        guard ns.domain == NSPOSIXErrorDomain || (ns.domain == NSCocoaErrorDomain && ns.code < 1024) else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        let reason = environmentReason(error)
        return path.map { "\($0): \(reason)" } ?? reason
    }
}

extension Diagnostic: DigitagError {
    public var exitStatus: ExitStatus { .configuration }
    public var report: [String] { [description] }
}

extension DiagnosticsError: DigitagError {
    public var exitStatus: ExitStatus { .configuration }
    public var report: [String] {
        diagnostics.map(\.description) + [
            "digitag: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in the configuration"
        ]
    }
}

extension SystemCallError: DigitagError {
    public var exitStatus: ExitStatus { .environment }
}
