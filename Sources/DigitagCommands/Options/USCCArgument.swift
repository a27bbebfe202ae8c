import ArgumentParser
import DataContract

/// One enterprise by its USCC, with the check character verified before anything is read.
///
/// The code is taken as typed or pasted: spaces trimmed, full-width characters folded, letters upper-cased
/// (`USCC.normalize`).
struct USCCArgument: ParsableArguments {
    @Argument(help: "The enterprise's USCC (统一社会信用代码).")
    var uscc: String

    func validate() throws {
        if case .failure(let p) = USCC.parseTyped(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
    }

    /// The code as the store writes it (`USCC.normalize`).
    var code: String { USCC.normalize(uscc) }

    /// The code as a number, the key of the profile store; `validate()` has checked it.
    var key: UInt128 { try! USCC.parseTyped(uscc).get() }
}
