@testable import Catalog
@testable import DataContract
@testable import DigiTagBase
@testable import DigiTagIO
@testable import DigitagCommands
@testable import Engine
import ArgumentParser
import Foundation
@testable import Inspection
import Model
@testable import NightlyRun
@testable import Query
@testable import RunModel
@testable import Sampling
import TestSupport
import Testing
import WebApp

/// The error contract: every error the libraries throw says which exit code it means, and the command
/// line prints it naming the file. One instance of every error type goes through the command layer here.
@Suite struct ErrorContractTests {
    struct Case: CustomStringConvertible {
        var type: String
        var error: any Error
        var status: DigiTagBase.ExitStatus
        /// Text the printed lines must contain: the file, or what the error is about.
        var mentions: String
        var description: String { type }
    }

    static let verification = SampleVerification(
        changedInputs: ["runs/2024-12-31/classes.csv"], differences: [])

    static let cases: [Case] = [
        Case(
            type: "Diagnostic", error: Diagnostic(SourceLocation(file: "Pipelines/tags/10-registration.yaml", line: 3), "unknown field"),
            status: .configuration, mentions: "Pipelines/tags/10-registration.yaml:3"),
        Case(
            type: "DiagnosticsError",
            error: DiagnosticsError([Diagnostic(SourceLocation(file: "Pipelines/risk.yaml", line: 9, column: 5), "unknown tag")]),
            status: .configuration, mentions: "Pipelines/risk.yaml:9:5"),
        Case(
            type: "WriteError", error: WriteError.fromErrno("/srv/runs/.staging-2024-12-31/classes.csv", ENOSPC),
            status: .environment, mentions: "/srv/runs/.staging-2024-12-31/classes.csv"),
        Case(type: "SystemCallError", error: SystemCallError(reason: "Input/output error"), status: .environment, mentions: "Input/output error"),
        Case(
            type: "FileReadError", error: FileReadError(file: "SampleData/tax/filings.csv.zst", message: "read failed"),
            status: .badInput, mentions: "SampleData/tax/filings.csv.zst"),
        Case(
            type: "FileReadError (no permission)", error: FileReadError.fromErrno("/data/market/enterprises.csv", "cannot open", EACCES),
            status: .environment, mentions: "/data/market/enterprises.csv"),
        Case(
            type: "ZstdError", error: ZstdError(file: "SampleData/tax/filings.csv.zst", message: "truncated zstd stream"),
            status: .badInput, mentions: "SampleData/tax/filings.csv.zst"),
        Case(
            type: "FitError", error: FitError("the fit needs at least 2 runs: 1 held out and one or more to fit on"),
            status: .badInput, mentions: "at least 2 runs"),
        Case(
            type: "InputError", error: InputError(file: "SampleData/market/enterprises.csv", line: 1, message: "missing column uscc"),
            status: .badInput, mentions: "SampleData/market/enterprises.csv:1"),
        Case(
            type: "CSVOpenQuoteError", error: CSVOpenQuoteError(file: "SampleData/market/enterprises.csv", line: 10, maxLines: 20),
            status: .badInput, mentions: "SampleData/market/enterprises.csv:10"),
        Case(
            type: "TextEncodingError",
            error: TextEncodingError(file: "SampleData/market/enterprises.csv", declared: .utf8, byte: 29, line: 2, likely: .gb18030),
            status: .badInput, mentions: "SampleData/market/enterprises.csv:2"),
        Case(
            type: "InputProblems",
            error: InputProblems([Diagnostic(SourceLocation(file: "results.csv", line: 4), "unknown result code X9")]),
            status: .badInput, mentions: "results.csv:4"),
        Case(
            type: "GateFailedError",
            error: GateFailedError(failures: [QualityGates.Result(gate: "max_reject_rate", source: "tax_filings", passed: false, detail: "12% rejected")]),
            status: .gateFailed, mentions: "tax_filings"),
        Case(type: "RunLockedError", error: RunLockedError(directory: "/srv/runs", holder: "pid 4242"), status: .runActive, mentions: "/srv/runs"),
        Case(
            type: "ReplacementError (bad request)", error: ReplacementError(message: "91370102MA3C4X5Y6Z was not drawn", isBadRequest: true),
            status: .badInput, mentions: "91370102MA3C4X5Y6Z"),
        Case(
            type: "ReplacementError (nobody left)", error: ReplacementError(message: "stratum D/370102 has nobody left", isBadRequest: false),
            status: .assignmentImpossible, mentions: "D/370102"),
        Case(
            type: "AlreadyDrawn", error: AlreadyDrawn(directory: "samples/SD-2025-GEN-01", taskID: "SD-2025-GEN-01", draws: 1, run: "runs/2024-12-31"),
            status: .alreadyDrawn, mentions: "samples/SD-2025-GEN-01"),
        Case(type: "SampleNotVerified", error: SampleNotVerified(verification: verification), status: .verificationFailed, mentions: "classes.csv"),
        Case(
            type: "AssignmentProblem",
            error: AssignmentProblem(uscc: "91370102MA3C4X5Y6Z", stratum: "A/370102", department: "市场监管", rule: .avoidance, message: "all avoided"),
            status: .assignmentImpossible, mentions: "91370102MA3C4X5Y6Z"),
        Case(
            type: "AssignmentFailure",
            error: AssignmentFailure(problems: [
                AssignmentProblem(uscc: "91370102MA3C4X5Y6Z", stratum: "A/370102", department: "税务", rule: .workload, message: "caps used up")
            ]), status: .assignmentImpossible, mentions: "91370102MA3C4X5Y6Z"),
        Case(
            type: "EncodingOverrideError",
            error: EncodingOverrideError(message: "--encoding: unknown source 'registraton' (did you mean registration?)"), status: .usage,
            mentions: "registraton"),
        Case(type: "QueryError", error: QueryError(expression: "tax.ratng == 'A'", offset: 0, message: "unknown tag"), status: .usage, mentions: "tax.ratng"),
        Case(type: "ExpressionError", error: ExpressionError(offset: 4, message: "unexpected ')'"), status: .configuration, mentions: "column 5"),
        Case(type: "ResultListError", error: ResultListError(message: "unknown result code X9", hint: nil), status: .badInput, mentions: "X9"),
        Case(type: "USCC.Problem", error: USCC.Problem.wrongCheckCharacter(expected: "Y", found: "Z"), status: .badInput, mentions: "Y"),
        Case(
            type: "ServeError", error: ServeError(.configuration, "no users file at /etc/digitag/users.yaml"), status: .configuration,
            mentions: "/etc/digitag/users.yaml"),
        Case(
            type: "AccessRefusal", error: AccessRefusal("tax.rating is confidential; your role sees up to internal"), status: .usage,
            mentions: "tax.rating"),
        Case(
            type: "AuditChainError", error: AuditChainError(file: "/var/log/digitag/audit.log", line: 12, problem: "was changed"),
            status: .verificationFailed, mentions: "/var/log/digitag/audit.log:12"),
        Case(
            type: "CocoaError (Foundation, no permission)",
            error: CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/srv/runs/current"]),
            status: .environment, mentions: "/srv/runs/current"),
    ]

    @Test("every error type ends with its own exit code and names its file", arguments: cases)
    func exitCodeAndMessage(_ c: Case) {
        let (status, lines) = FailureReport.of(c.error)
        #expect(status == c.status, "\(c.type)")
        let text = lines.joined(separator: "\n")
        #expect(text.contains(c.mentions), "printed: \(text)")
        #expect(!text.contains("internal error"))
    }

    @Test("reportingFailures exits with the error's code")
    func throughTheCommandLayer() throws {
        for c in Self.cases {
            do {
                try reportingFailures { throw c.error }
                Issue.record("\(c.type): no error came out")
            } catch let e as ExitCode {
                #expect(e.rawValue == c.status.rawValue, "\(c.type)")
            }
        }
    }

    @Test("an error of no known kind is an internal error that asks for a bug report")
    func unknownErrorsAreInternal() {
        struct Surprise: Error {}
        let (status, lines) = FailureReport.of(Surprise())
        #expect(status == .internalError)
        #expect(lines.joined().contains("please report"))
        // A Foundation coder error is not the machine's fault: it must not pass for an environment failure.
        let decoding = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad JSON"))
        #expect(FailureReport.of(decoding).0 == .internalError)
    }

    /// Every error type declared in Sources conforms to `DigitagError` and has a case above, so a new error
    /// type cannot fall through to "internal error" unnoticed.
    @Test("every error type in Sources is in the contract and in this test")
    func everyErrorTypeIsCovered() throws {
        let declaration = try Regex(#"(?m)^\s*(?:public |package )?(?:struct|enum|final class|class) (\w+)(?:<[^>]*>)?:([^{]*)\{"#)
        var found: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: TestPaths.repo("Sources"))!
        while let file = enumerator.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: TestPaths.repo("Sources/" + file), encoding: .utf8)
            for m in text.matches(of: declaration) {
                let name = String(m.output[1].substring!)
                let conformances = m.output[2].substring!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if conformances.contains("Error") || conformances.contains("DigitagError") { found[name] = file }
            }
        }
        // Conformance may be declared with the type or in an extension (`extension Diagnostic: DigitagError`).
        var allSources = ""
        let all = FileManager.default.enumerator(atPath: TestPaths.repo("Sources"))!
        while let file = all.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            allSources += try String(contentsOfFile: TestPaths.repo("Sources/" + file), encoding: .utf8)
        }
        let plainErrors = found.filter { name, _ in
            !allSources.contains("\(name): DigitagError") && !allSources.contains("extension \(name): DigitagError")
        }
        // The one private control-flow error: CSVRowLookup stops its scan by throwing, and catches it itself.
        #expect(Set(plainErrors.keys).subtracting(["Stop"]).isEmpty, "declared as plain Error: \(plainErrors)")
        let covered = Set(Self.cases.map { $0.type.split(separator: " ").first.map(String.init)! }.map { $0.replacingOccurrences(of: "USCC.", with: "") })
        let missing = Set(found.keys).subtracting(covered).subtracting(["Stop"])
        #expect(missing.isEmpty, "error types without a case in ErrorContractTests: \(missing.sorted())")
    }
}
