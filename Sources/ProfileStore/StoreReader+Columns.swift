import Catalog
import DataContract
import DigiTagBase
import Engine
import RunModel

extension StoreReader {
    /// The store column of a catalog tag.
    public func column(forTag id: String) throws -> Int {
        guard let c = columnIndex[id] else {
            throw InputError(file: path, message: "no column for tag '\(id)': the run was made with another catalog")
        }
        return c
    }

    /// A tag column's row group as the engine holds tag values: numbers (booleans 1/0, dates as days, NaN for
    /// empty) or vocabulary codes (-1 for empty). Dictionary texts `vocabulary` does not know yet are added.
    public func tagColumn(_ c: Int, group g: Int, type: ValueType, vocabulary: inout Vocabulary) throws -> Column {
        guard type.isCategory else { return .numbers(try numbers(column: c, group: g)) }
        let dictionary = meta.columns[c].dictionary ?? []
        var codeOf: [Int32] = []
        codeOf.reserveCapacity(dictionary.count)
        for text in dictionary { codeOf.append(vocabulary.code(text) ?? vocabulary.intern(text)) }
        return .codes(try dictionaryIndices(column: c, group: g).map { $0 < 0 ? -1 : codeOf[Int($0)] })
    }

    /// As `tagColumn`, with numbers rounded as the run publishes them (`ValueFormat`): the values tags.csv and
    /// `digitag profile` show, which a draw's scope and an explanation must read.
    public func publishedTagColumn(_ c: Int, group g: Int, type: ValueType, vocabulary: inout Vocabulary) throws -> Column {
        let column = try tagColumn(c, group: g, type: type, vocabulary: &vocabulary)
        guard type == .number, case .numbers(let v) = column else { return column }
        return .numbers(v.map(ValueFormat.rounded))
    }
}
