/// Accuracy of a model retrained on n pairs, on the test set.
public struct CurvePoint: Codable, Equatable {
    public var n: Int
    /// Agreement with the true labels.
    public var accuracy: Double
    /// Agreement with the Bayes-optimal predictor, when the task has one.
    public var agreement: Double?
}
