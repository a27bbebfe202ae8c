import DigiTagBase
import DigiTagIO
import Testing

@Suite struct FieldParserTests {
    func bytes<T>(_ s: String, _ f: (UnsafeRawBufferPointer) -> T) -> T {
        var a = Array(s.utf8)
        return a.withUnsafeMutableBytes { f(UnsafeRawBufferPointer($0)) }
    }

    @Test func dates() {
        #expect(bytes("2024-02-29") { FieldParser.date($0) } == Double(Day(year: 2024, month: 2, day: 29)!.value))
        #expect(bytes("2023-02-29") { FieldParser.date($0) } == nil)
        #expect(bytes("2024-13-45") { FieldParser.date($0) } == nil)
        #expect(bytes("2024/05/01") { FieldParser.date($0) } == nil)
        #expect(Day(iso: "1970-01-01")!.value == 0)
        #expect(Day(iso: "2024-12-31")!.description == "2024-12-31")
    }

    @Test func amounts() {
        #expect(bytes("1234.5") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == 1234.5)
        #expect(bytes("0.01") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == 0.01)
        #expect(bytes("-5") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == nil)
        #expect(bytes("12a") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == nil)
        #expect(bytes("1.234") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == nil)
        #expect(bytes("1.") { FieldParser.decimal($0, allowNegative: false, maxDecimals: 2) } == nil)
        #expect(bytes("-2.5") { FieldParser.decimal($0, allowNegative: true, maxDecimals: 6) } == -2.5)
    }

    @Test func periodsYearsFlags() {
        #expect(bytes("2024-03") { FieldParser.period($0) } == Double(Day(year: 2024, month: 3, day: 1)!.value))
        #expect(bytes("2024-3") { FieldParser.period($0) } == nil)
        #expect(bytes("2023") { FieldParser.year($0) } == 2023)
        #expect(bytes("Y") { FieldParser.flag($0) } == 1)
        #expect(bytes("N") { FieldParser.flag($0) } == 0)
        #expect(bytes("yes") { FieldParser.flag($0) } == nil)
    }

    @Test func byteCodeTable() {
        let t = ByteCodeTable([("A", 3), ("B", 4), ("370102", 9)])
        #expect(bytes("A") { t.code($0) } == 3)
        #expect(bytes("370102") { t.code($0) } == 9)
        #expect(bytes("E") { t.code($0) } == nil)
        #expect(bytes("") { t.code($0) } == nil)
    }

    @Test func civilDateRoundTrip() {
        for v in stride(from: -800, to: 80000, by: 37) {
            let d = Day(Int32(v))
            let (y, m, dd) = d.civil
            #expect(Day(year: y, month: m, day: dd) == d)
        }
    }
}
