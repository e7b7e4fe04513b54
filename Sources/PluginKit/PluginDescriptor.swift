/// What `assay plugins --verbose` shows about a plugin.
public struct PluginDescriptor {
    public var id: String
    public var version: String
    public var summary: String
    public var needs: Needs
    public var parameters: [Parameter]

    public init(id: String, version: String, summary: String, needs: Needs = [], parameters: [Parameter] = []) {
        self.id = id
        self.version = version
        self.summary = summary
        self.needs = needs
        self.parameters = parameters
    }
}

public struct Needs: OptionSet {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let truth = Needs(rawValue: 1 << 0)
    public static let logLikelihood = Needs(rawValue: 1 << 1)
}

public struct Parameter {
    public var name: String
    /// "number", "integer", "string", "boolean", "number[]" or "table".
    public var type: String
    /// The default as JSON text; nil when required or context-dependent.
    public var defaultJSON: String?
    public var summary: String

    public init(_ name: String, _ type: String, default defaultJSON: String?, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultJSON = defaultJSON
        self.summary = summary
    }
}
