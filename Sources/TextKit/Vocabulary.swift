/// Word ids for the text models: every distinct token gets the next id, and
/// three ids are reserved. Ids are `Int32` so an n-gram packs into a `UInt64`.
public final class Vocabulary {
    /// The start of a summary (the n-gram context before its first word).
    public static let start: Int32 = 0
    /// The end of a summary: what the model predicts to stop.
    public static let end: Int32 = 1
    /// A word the vocabulary has never seen (encode only).
    public static let unknown: Int32 = 2

    private var ids: [Substring: Int32] = [:]
    public private(set) var words: [String] = ["<s>", "</s>", "<unk>"]
    private let tokenizer = RougeTokenizer()

    /// Ids fit 21 bits each, three to a `UInt64` key.
    public static let capacity = 1 << 21

    public init() {}

    public var count: Int { words.count }

    /// The ids of `text`'s tokens, adding new words.
    public func intern(_ text: String) throws -> [Int32] {
        try tokenizer.tokens(text).map { token in
            if let id = ids[token] { return id }
            guard words.count < Self.capacity else {
                throw TextModelError("the vocabulary is full (\(Self.capacity) words)")
            }
            let id = Int32(words.count)
            ids[token] = id
            words.append(String(token))
            return id
        }
    }

    /// The ids of `text`'s tokens, `unknown` for words never interned.
    public func encode(_ text: String) -> [Int32] {
        tokenizer.tokens(text).map { ids[$0] ?? Self.unknown }
    }

    /// The words of `ids`, joined by spaces (what ROUGE then reads back).
    public func decode(_ ids: [Int32]) -> String {
        ids.map { words[Int($0)] }.joined(separator: " ")
    }
}

/// A text model's one-line error.
public struct TextModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
