import Foundation

/// `assay audit` from file to result: the cut passes, the sample pass, the
/// estimates, the label model (three or more verifiers), and with a plan the
/// draw pass. Nothing is written anywhere; the caller prints the result.
public struct AuditRun {
    public struct Options: Sendable {
        public var plan = false
        public var halfWidth = 0.02
        public var separate = false
        public var seed: UInt64 = 1

        public init(plan: Bool = false, halfWidth: Double = 0.02, separate: Bool = false, seed: UInt64 = 1) {
            self.plan = plan
            self.halfWidth = halfWidth
            self.separate = separate
            self.seed = seed
        }
    }

    public struct Result: Codable, Sendable {
        public var estimates: AuditEstimates
        /// The label model fitted with the audit as anchor, and without it.
        public var labelModel: LabelModel?
        public var labelModelWithoutAudit: LabelModel?
        public var dependence: ConditionalDependence?
        public var plan: AuditPlan?
    }

    public let path: String
    public let mapping: AuditMapping
    public let options: Options

    public init(path: String, mapping: AuditMapping, options: Options = Options()) {
        self.path = path
        self.mapping = mapping
        self.options = options
    }

    public func run() throws -> Result {
        guard options.halfWidth > 0, options.halfWidth < 0.5 else {
            throw AuditError("--half-width: expected a number in (0, 0.5), got \(options.halfWidth)")
        }
        let scan = try AuditScan(path: path, mapping: mapping)
        let cuts = try scan.cuts()
        let sample = try scan.sample(cuts: cuts)
        let estimator = try AuditEstimator(sample: sample, poolSizes: mapping.poolSizes, source: path)
        let estimates = try estimator.estimates(file: path)
        var result = Result(estimates: estimates)
        if sample.verifierNames.count >= 3, sample.countsPatterns {
            result.labelModel = try LabelModel.fit(sample, useAudit: true)
            result.labelModelWithoutAudit = try LabelModel.fit(sample, useAudit: false)
            result.dependence = ConditionalDependence(estimator)
        }
        if options.plan {
            var plan = AuditPlan.make(estimator, halfWidth: options.halfWidth, separate: options.separate, seed: options.seed)
            plan.ids = try scan.draw(counts: plan.extra, seed: options.seed, cuts: cuts)
            result.plan = plan
        }
        return result
    }
}
