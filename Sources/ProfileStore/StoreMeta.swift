/// The store's metadata, written after the blocks (zstd-compressed JSON).
public struct StoreMeta: Codable, Sendable {
    public var formatVersion: Int
    public var pipeline: String
    public var pipelineHash: String
    public var asOf: String
    public var enterprises: Int
    public var groupSize: Int
    public var groupCount: Int
    /// The first USCC of every row group, to find an enterprise's group without reading any block.
    public var groupFirstKeys: [String]
    public var classes: [String]
    public var classNamesZh: [String]
    public var tags: [StoreTag]
    public var regions: [StoreRegion]
    public var columns: [StoreColumn]
}

/// A tag's description, so that a profile needs nothing but the store.
public struct StoreTag: Codable, Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var kind: String
    public var unit: String?
    public var family: String
    public var dimension: String
    public var dimensionZh: String
    public var sensitivity: String
    /// For categorical tags: the category's name and values (the query type checker's view).
    public var categoryName: String?
    public var categoryValues: [String]?
}

/// A region code's county and city, as `classes.csv` shows them.
public struct StoreRegion: Codable, Sendable {
    public var code: String
    public var name: String
    public var cityCode: String
    public var cityName: String
}
