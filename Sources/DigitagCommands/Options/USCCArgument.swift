import ArgumentParser
import DataContract

/// One enterprise by its USCC, with the check character verified before anything is read.
struct USCCArgument: ParsableArguments {
    @Argument(help: "The enterprise's USCC (统一社会信用代码).")
    var uscc: String

    func validate() throws {
        if case .failure(let p) = USCC.parse(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
    }

    /// The code as a number, the key of the profile store; `validate()` has checked it.
    var key: UInt128 { try! USCC.parse(uscc).get() }
}
