/// A verifier or baseline: how it selected and what retraining on its
/// selection achieved.
public struct SelectionResult: Codable, Equatable {
    public var name: String
    /// Plugin id, or "baseline".
    public var plugin: String
    public var version: String?
    public var score: SelectionScore?
    public var curve: [CurvePoint]

    enum CodingKeys: String, CodingKey {
        case name, plugin, version, curve
        case pairs, kept, p, phi, psi
        case pStar = "p_star", phiInterval = "phi_interval", psiInterval = "psi_interval"
        case pStarInterval = "p_star_interval"
    }

    public init(name: String, plugin: String, version: String?, score: SelectionScore?, curve: [CurvePoint]) {
        self.name = name
        self.plugin = plugin
        self.version = version
        self.score = score
        self.curve = curve
    }

    // Scores are flattened into the entry: `phi`, `psi`, `p_star` sit
    // beside `name` and `curve` in the JSON document.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(plugin, forKey: .plugin)
        try container.encodeIfPresent(version, forKey: .version)
        if let score {
            try container.encode(score.pairs, forKey: .pairs)
            try container.encode(score.kept, forKey: .kept)
            try container.encode(score.p, forKey: .p)
            try container.encode(score.phi, forKey: .phi)
            try container.encode(score.psi, forKey: .psi)
            try container.encode(score.pStar, forKey: .pStar)
            try container.encode(score.phiInterval, forKey: .phiInterval)
            try container.encode(score.psiInterval, forKey: .psiInterval)
            try container.encode(score.pStarInterval, forKey: .pStarInterval)
        }
        try container.encode(curve, forKey: .curve)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        plugin = try container.decode(String.self, forKey: .plugin)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        curve = try container.decode([CurvePoint].self, forKey: .curve)
        if let pairs = try container.decodeIfPresent(Int.self, forKey: .pairs) {
            score = SelectionScore(
                pairs: pairs, kept: try container.decode(Int.self, forKey: .kept),
                p: try container.decode(Double.self, forKey: .p),
                phi: try container.decodeIfPresent(Double.self, forKey: .phi),
                phiInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .phiInterval),
                psi: try container.decodeIfPresent(Double.self, forKey: .psi),
                psiInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .psiInterval),
                pStar: try container.decodeIfPresent(Double.self, forKey: .pStar),
                pStarInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .pStarInterval))
        }
    }
}
