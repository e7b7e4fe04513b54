/// Where a pool's chunks come from: the task, how the pool splits, the
/// seed its random streams derive from, and the model that labels it
/// ("generator" in an ordinary run; a retrained model in later rounds).
struct PoolSource {
    let generator: GeneratorInstance
    let layout: ChunkLayout
    let seed: UInt64
    var model = "generator"
}
