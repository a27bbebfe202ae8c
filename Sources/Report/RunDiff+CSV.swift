import DigiTagIO

extension RunDiff {
    /// Writes every class change, not only the first 50 the text shows, as CSV with a byte-order mark (so
    /// spreadsheet programs read the Chinese names): uscc, name, from, to, direction (`up` or `down`).
    public func writeClassChanges(to path: String) throws {
        let w = try CSVWriter(path: path, header: ["uscc", "name", "from", "to", "direction"], bom: true, formulaSafe: true)
        for c in classChanges { try w.row([c.uscc, c.name, c.from, c.to, c.up ? "up" : "down"]) }
        try w.close()
    }
}
