/// Sizes as people write them on a command line: 512M, 2G, 1.5G, 800000K, or plain bytes.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024]
        var t = text.uppercased()
        if t.hasSuffix("B") && t.count > 1 && units[t[t.index(t.endIndex, offsetBy: -2)]] != nil { t.removeLast() }
        var factor = 1.0
        if let last = t.last, let f = units[last] {
            factor = f
            t.removeLast()
        }
        guard let value = Double(t), value > 0, value.isFinite else { return nil }
        return Int(value * factor)
    }
}
