/// A C prototype such as `int keep(const double *x, int d, double y)`,
/// parsed strictly into one of the call forms a function verifier supports.
///
/// Per sample: `R f(const double *x, N d, double y)`, R one of `int`,
/// `_Bool`, `bool`, `double`; called once per row, nonzero keeps the pair.
///
/// Per batch: `V f(const double *x, const double *y, N n, N d, uint8_t *keep)`
/// (or `unsigned char *keep`), V one of `void`, `int` (nonzero = error);
/// called once per batch, fills keep[n], nonzero keeps the pair.
///
/// N, a count, is one of `int`, `long`, `int64_t`, `size_t`. Parameter
/// names are optional and ignored.
public struct FunctionSignature: Equatable {
    /// The C types a signature may use, spelled canonically.
    public enum CType: String, CaseIterable {
        case void
        case int
        case long
        case int64 = "int64_t"
        case size = "size_t"
        case bool = "_Bool"
        case cppBool = "bool"
        case double
        case constDoublePointer = "const double *"
        case uint8Pointer = "uint8_t *"
        case ucharPointer = "unsigned char *"

        var isCount: Bool { [.int, .long, .int64, .size].contains(self) }
    }

    public enum Form: Equatable {
        /// `R f(const double *x, N d, double y)`, once per row.
        case perSample(result: CType, count: CType)
        /// `V f(const double *x, const double *y, N n, N d, uint8_t *keep)`,
        /// once per batch; `status` is true when V is `int`.
        case batch(status: Bool, count: CType)
    }

    /// The name the prototype gives the function.
    public var name: String
    public var form: Form

    public init(name: String, form: Form) {
        self.name = name
        self.form = form
    }

    /// One line listing what is accepted, for error messages.
    public static let supportedForms =
        "supported: per sample `R f(const double *x, N d, double y)`, R in int/_Bool/bool/double, nonzero = keep; "
        + "per batch `V f(const double *x, const double *y, N n, N d, uint8_t *keep)`, V in void/int, nonzero int = error; "
        + "N in int/long/int64_t/size_t"

    /// Why a signature was refused (without the list of supported forms).
    public struct Unsupported: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public static func parse(_ text: String) throws -> FunctionSignature {
        var tokens = try tokenize(text)
        if tokens.last == ";" { tokens.removeLast() }
        guard let open = tokens.firstIndex(of: "("), tokens.last == ")",
              tokens.filter({ $0 == "(" }).count == 1, tokens.filter({ $0 == ")" }).count == 1 else {
            throw Unsupported(reason: "expected `type name(parameters)`")
        }
        guard open >= 2, let name = tokens[open - 1].identifier, !typeWords.contains(name) else {
            throw Unsupported(reason: "expected a return type and a function name before \"(\"")
        }
        let result = try type(Array(tokens[..<(open - 1)]), what: "return type")
        let inner = Array(tokens[(open + 1)..<(tokens.count - 1)])
        var parameters: [CType] = []
        if !(inner.isEmpty || inner == ["void"]) {
            for (index, parameter) in inner.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                parameters.append(try Self.parameter(Array(parameter), index: index + 1))
            }
        }
        return FunctionSignature(name: name, form: try form(result: result, parameters: parameters))
    }

    private static func form(result: CType, parameters: [CType]) throws -> Form {
        let shape = "\(result.rawValue) (" + parameters.map(\.rawValue).joined(separator: ", ") + ")"
        switch parameters.count {
        case 3:
            guard parameters[0] == .constDoublePointer, parameters[1].isCount, parameters[2] == .double else {
                throw Unsupported(reason: "three parameters must be (const double *x, N d, double y); got \(shape)")
            }
            guard [.int, .bool, .cppBool, .double].contains(result) else {
                throw Unsupported(reason: "a per-sample function must return int, _Bool, bool or double; got \(result.rawValue)")
            }
            return .perSample(result: result, count: parameters[1])
        case 5:
            guard parameters[0] == .constDoublePointer, parameters[1] == .constDoublePointer,
                  parameters[2].isCount, parameters[3] == parameters[2],
                  [.uint8Pointer, .ucharPointer].contains(parameters[4]) else {
                throw Unsupported(reason:
                    "five parameters must be (const double *x, const double *y, N n, N d, uint8_t *keep) with one count type N; got \(shape)")
            }
            guard result == .void || result == .int else {
                throw Unsupported(reason: "a per-batch function must return void or int; got \(result.rawValue)")
            }
            return .batch(status: result == .int, count: parameters[2])
        default:
            throw Unsupported(reason: "\(parameters.count) parameters; expected 3 (per sample) or 5 (per batch)")
        }
    }

    /// Words that belong to a type, never a parameter name.
    private static let typeWords: Set<String> = [
        "void", "int", "long", "short", "char", "signed", "unsigned", "float", "double", "const", "volatile",
        "_Bool", "bool", "int64_t", "size_t", "uint8_t", "struct", "restrict",
    ]

    private static func parameter(_ tokens: [String], index: Int) throws -> CType {
        var tokens = tokens
        if tokens.count >= 2, let last = tokens.last?.identifier, !typeWords.contains(last) {
            tokens.removeLast()
        }
        return try type(tokens, what: "parameter \(index)")
    }

    private static func type(_ tokens: [String], what: String) throws -> CType {
        let spelled = tokens.joined(separator: " ")
        guard !tokens.isEmpty else { throw Unsupported(reason: "\(what) is missing") }
        guard let type = CType(rawValue: spelled) else {
            throw Unsupported(reason: "\(what) has unsupported type \(spelled)")
        }
        guard type != .void || what == "return type" else {
            throw Unsupported(reason: "\(what) has type void")
        }
        return type
    }

    /// Identifiers, `*`, `(`, `)`, `,` and `;`; anything else is refused.
    private static func tokenize(_ text: String) throws -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { tokens.append(word); word = "" }
        }
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber || character == "_" {
                if word.isEmpty, character.isNumber {
                    throw Unsupported(reason: "unexpected \"\(character)\"")
                }
                word.append(character)
            } else if character.isWhitespace {
                flush()
            } else if "*(),;".contains(character) {
                flush()
                tokens.append(String(character))
            } else {
                throw Unsupported(reason: "unexpected \"\(character)\"")
            }
        }
        flush()
        return tokens
    }
}

private extension String {
    /// The string when it is a C identifier.
    var identifier: String? {
        guard let first = unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return nil }
        return self
    }
}
