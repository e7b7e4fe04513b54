public struct GeneratorSummary: Codable, Equatable {
    public var id: String
    public var version: String
    /// Test accuracy of the generator's own predictions.
    public var accuracy: Double
    public var agreement: Double?
    /// Error rate of its synthesized labels on the pool.
    public var p: Double
    /// The plugin's config as the run gave it (JSON).
    public var config: String?
}
