import Catalog
import DataContract
import DigiTagBase
import Engine

extension StoreReader {
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
}
