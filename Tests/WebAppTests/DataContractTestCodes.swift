import DataContract

/// Codes for tests, computed with the contract's own check-character rule.
enum DataContractTestCodes {
    /// A valid USCC that SampleData does not hold.
    static let unused = USCC.complete("91370102YYYYYYYYY")
}

enum USCCParse {
    static func key(_ code: String) throws -> UInt128 { try USCC.parse(code).get() }
}
