import ArgumentParser

/// `digitag audit`: checks and reads the audit log of `digitag serve`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or read the audit log of 'digitag serve'.",
        subcommands: [AuditVerifyCommand.self, AuditShowCommand.self])
}
