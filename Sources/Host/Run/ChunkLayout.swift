/// How a pool of `poolSize` rows splits into chunks.
public struct ChunkLayout {
    public let poolSize: Int
    public let chunkSize: Int

    public init(poolSize: Int, chunkSize: Int) {
        self.poolSize = poolSize
        self.chunkSize = chunkSize
    }

    public var chunkCount: Int { (poolSize + chunkSize - 1) / chunkSize }

    public func rows(inChunk index: Int) -> Int {
        min(chunkSize, poolSize - index * chunkSize)
    }
}
