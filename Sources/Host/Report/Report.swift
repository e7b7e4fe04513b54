/// What `assay report` writes: figures, and an HTML page holding them.
public protocol Report {
    var figures: [ReportBuilder.Figure] { get }
    func html() -> String
}
