/// How a pool of `poolSize` rows splits into chunks.
struct ChunkLayout {
    let poolSize: Int
    let chunkSize: Int

    var chunkCount: Int { (poolSize + chunkSize - 1) / chunkSize }

    func rows(inChunk index: Int) -> Int {
        min(chunkSize, poolSize - index * chunkSize)
    }
}
