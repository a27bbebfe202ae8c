import ArgumentParser

/// `digitag sample`: inspection draws from a published run, and everything done to them before the results.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw enterprises and inspectors for an inspection task from a published run (双随机), or verify a draw.",
        discussion: """
            `digitag sample commit TASK_FILE` fixes a task's seed before the run (a SHA-256 commitment to a secret nonce);
            `digitag sample [draw]` draws (once: a second draw needs --redraw --reason TEXT); `digitag sample verify DIR` re-runs a draw from its audit record;
            `digitag sample replace DIR --uscc X --reason R` gives a dropped enterprise's place to the next ticket of its
            stratum; `digitag sample lint` checks task files.
            Exit codes: 0 done / identical, 2 configuration error (task, items, inspectors), 3 bad input (run files, a
            USCC that is not drawn), 6 the task's rules cannot be met (inspectors, or nobody left to replace with),
            7 the verified sample differs or its inputs changed, or its seed was committed after the data,
            9 the task was drawn already into that folder (nothing changed).
            """,
        subcommands: [Draw.self, Commit.self, Verify.self, Replace.self, Lint.self],
        defaultSubcommand: Draw.self)
}
