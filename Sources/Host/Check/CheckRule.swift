/// A rule of the plugin ABI that `assay check` tests, named as it prints.
///
/// Every rule is stated in assay_plugin.h or docs/ABI.md (the `source` of
/// each says where); the order of the cases is the order of the report.
enum CheckRule: String, CaseIterable {
    // The library as a whole.
    case entryPoint = "entry-point"
    case abiVersion = "abi-version"
    case structSizes = "struct-sizes"
    case libraryLoads = "library-loads"
    case idsUnique = "ids-unique"

    // One plugin's descriptor.
    case idWellFormed = "id-well-formed"
    case versionWellFormed = "version-well-formed"
    case descriptionOneLine = "description-one-line"
    case paramsDescribed = "params-described"
    case kindTable = "kind-table"
    case reservedZero = "reserved-zero"

    // Creating an instance from a config.
    case create
    case unknownKeyRefused = "unknown-key-refused"
    case malformedConfigRefused = "malformed-config-refused"

    // Verifiers.
    case prepare
    case selectionValid = "selection-valid"
    case selectionConstant = "selection-constant"
    case verifyRuns = "verify-runs"
    case keepBits = "keep-bits"
    case scoresFinite = "scores-finite"
    case verifyDeterministic = "verify-deterministic"
    case verifyConcurrent = "verify-concurrent"

    // Generators.
    case prepareShape = "prepare-shape"
    case drawShape = "draw-shape"
    case drawFinite = "draw-finite"
    case drawDeterministic = "draw-deterministic"
    case labelShape = "label-shape"
    case labelFinite = "label-finite"
    case labelDeterministic = "label-deterministic"
    case similarityRange = "similarity-range"
    case similarityOfTruth = "similarity-of-truth"
    case unknownModelNotFound = "unknown-model-not-found"
    case unknownTaskVectorNotFound = "unknown-task-vector-not-found"
    case logLikelihoodShape = "log-likelihood-shape"
    case logLikelihoodDeterministic = "log-likelihood-deterministic"
    case fitMakesModel = "fit-makes-model"
    case forgetDropsModel = "forget-drops-model"
    case generatorConcurrent = "generator-concurrent"

    // Both kinds, over every call the check makes.
    case oneRowBatch = "one-row-batch"
    case errorNulTerminated = "error-nul-terminated"
    case errorOneLine = "error-one-line"
    case errorNotEmpty = "error-not-empty"
    case errorUntouchedOnSuccess = "error-untouched-on-success"
    case noStdout = "no-stdout"

    /// What the rule asks, and where the contract says so (for `--help`
    /// and docs/ABI.md).
    var summary: String {
        switch self {
        case .entryPoint: return "assay_plugin_entry returns a table, the same one on a second call (ABI.md: the model)"
        case .abiVersion: return "abi_major is the host's ASSAY_ABI_MAJOR (header: versioning)"
        case .structSizes: return "struct_size of the library, each plugin and call table is sizeof as built: equal to this header's for minor <= host's, at least it for a later minor (header: versioning)"
        case .libraryLoads: return "the host's loader accepts the table: ids, versions, create, destroy, a call table of the kind with every call (ABI.md: describing a plugin)"
        case .idsUnique: return "no two plugins of the library share an id, which is how run configs name them (ABI.md: describing a plugin)"
        case .idWellFormed: return "the id is non-empty and lower-case (header: assay_plugin.id)"
        case .versionWellFormed: return "the version is non-empty (ABI.md: the host refuses a descriptor without one)"
        case .descriptionOneLine: return "the description is one line (header: assay_plugin.description)"
        case .paramsDescribed: return "each param has a name, a type from the header's list, a default that is JSON text or NULL, a one-line description (header: assay_param)"
        case .kindTable: return "the call table of the other kind is NULL; a generator declares no needs (header: assay_plugin; ABI.md: host services)"
        case .reservedZero: return "fields named reserved are zero: the call table's, the selection's (header: versioning)"
        case .create: return "create accepts the given config (default {}) and sets a non-NULL instance (ABI.md: create)"
        case .unknownKeyRefused: return "create refuses the config plus an unknown key with ASSAY_ERROR_CONFIG (header: create)"
        case .malformedConfigRefused: return "create refuses malformed JSON with ASSAY_ERROR_CONFIG (header: ASSAY_ERROR_CONFIG)"
        case .prepare: return "prepare succeeds on the check's task (the pool generator's shape)"
        case .selectionValid: return "mode RULE (fraction 1) or TOP_FRACTION with a fraction in (0, 1] (header: assay_selection; ABI.md: verifiers)"
        case .selectionConstant: return "selection gives the same answer when asked again (header: constant after prepare)"
        case .verifyRuns: return "verify succeeds on the pool's batches (the check needs its answers)"
        case .keepBits: return "RULE mode: verify writes keep[i] in {0, 1} for every row (header: verify)"
        case .scoresFinite: return "TOP_FRACTION mode: verify writes a finite score for every row (header: verify)"
        case .verifyDeterministic: return "the same batch and stream give the same bits (header: batches)"
        case .verifyConcurrent: return "verify from several threads at once gives the serial bits (header: threads)"
        case .prepareShape: return "prepare succeeds and reports at least one x and one y column (header: generator.prepare)"
        case .drawShape: return "draw writes count*x_cols x and count*y_cols y values, none beyond (header: generator.draw)"
        case .drawFinite: return "drawn x and y are finite (not in the header: the host's own check, which fails a run on them)"
        case .drawDeterministic: return "the same stream draws the same bits (header: randomness)"
        case .labelShape: return "label writes rows*y_cols values, none beyond, in both modes (header: generator.label)"
        case .labelFinite: return "labels are finite (not in the header: the host's own check, which fails a run on them)"
        case .labelDeterministic: return "the same inputs, model, mode and stream give the same labels (header: randomness)"
        case .similarityRange: return "similarity is in [0, 1], one value per row (header: generator.similarity)"
        case .similarityOfTruth: return "the similarity of the truth to itself is 1 (header: s = 1 means y' = y)"
        case .unknownModelNotFound: return "label with a model name nobody made fails with ASSAY_ERROR_NOT_FOUND (header: status codes)"
        case .unknownTaskVectorNotFound: return "task_vector of an unknown name fails with ASSAY_ERROR_NOT_FOUND (ABI.md: generators)"
        case .logLikelihoodShape: return "log_likelihood writes one value per row, none beyond, unless it is ASSAY_ERROR_UNSUPPORTED (header: generator.log_likelihood)"
        case .logLikelihoodDeterministic: return "log_likelihood gives the same values for the same batch (ABI.md: a call is a function of state, inputs and stream)"
        case .fitMakesModel: return "after fit on drawn pairs, label with the fitted model's name succeeds, unless fit is ASSAY_ERROR_UNSUPPORTED (header: generator.fit)"
        case .forgetDropsModel: return "after forget, label with that name fails with ASSAY_ERROR_NOT_FOUND (header: generator.forget, status codes)"
        case .generatorConcurrent: return "draw and label from several threads at once give the serial bits (header: threads)"
        case .oneRowBatch: return "a batch of one row is handled like any other (header: a batch has at least one row)"
        case .errorNulTerminated: return "every error message has its NUL within ASSAY_ERROR_CAPACITY bytes (header: errors)"
        case .errorOneLine: return "every error message is one line: no line break or other control character but tab (header: errors)"
        case .errorNotEmpty: return "every failing call says what was wrong (header: errors)"
        case .errorUntouchedOnSuccess: return "a call that returns ASSAY_OK leaves the error buffer alone (ABI.md: errors)"
        case .noStdout: return "no call writes to standard output (not in the header: it carries the host's documents, assay run --json; checked with fd 1 redirected)"
        }
    }
}
