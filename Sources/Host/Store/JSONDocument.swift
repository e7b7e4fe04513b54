import Foundation

/// The JSON documents the host writes — a run's result, a study's report —
/// and reads back, in one format: keys sorted, non-finite numbers as the
/// strings "inf", "-inf" and "nan", and a top-level "schema" member, the
/// format's version. Reading is strict: a document of another version, or
/// one that does not parse as the type, is refused with a one-line error.
public enum JSONDocument {
    /// The version of the document format the host writes and reads.
    public static let schema = 1

    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `value` as a document: its members beside "schema".
    public static func encode<Body: Encodable>(_ value: Body, pretty: Bool) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(Versioned(body: value)), as: UTF8.self)
    }

    /// `value` without "schema": a part of a larger document, whose own
    /// version covers it.
    public static func encodePart<Body: Encodable>(_ value: Body, pretty: Bool) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    /// Reads a document written by `encode`; `source` names it in errors
    /// ("run 3 in results/assay.sqlite", "<stdin>").
    public static func decode<Body: Decodable>(_ type: Body.Type, from json: String, source: String) throws -> Body {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(Versioned<Body>.self, from: Data(json.utf8)).body
        } catch {
            throw AssayError("\(source): \(describe(error)) (expected a document of \(Body.self), schema \(schema))")
        }
    }

    /// A decoding failure in a line: which member, and what is wrong with it.
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { path, key in
                key.intValue.map { "\(path)[\($0)]" } ?? (path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)")
            }
        }
        let text: String
        switch error {
        case let error as SchemaMismatch:
            text = error.description
        case DecodingError.keyNotFound(let key, let context):
            text = "member \"\(path(context.codingPath + [key]))\" is missing"
        case DecodingError.typeMismatch(let type, let context):
            text = "member \"\(path(context.codingPath))\" is not of type \(type)"
        case DecodingError.valueNotFound(let type, let context):
            text = "member \"\(path(context.codingPath))\" is null, not of type \(type)"
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            text = "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        case DecodingError.dataCorrupted(let context):
            text = "member \"\(path(context.codingPath))\": \(context.debugDescription)"
        default:
            text = "\(error)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A document's version, when it is not the one this host reads.
    struct SchemaMismatch: Error, CustomStringConvertible {
        var found: Int?
        var description: String {
            found.map { "it has schema \($0)" } ?? "it has no \"schema\" member (written before documents had versions?)"
        }
    }

    fileprivate enum SchemaKey: String, CodingKey { case schema }

    /// A body's members and "schema", in one JSON object.
    fileprivate struct Versioned<Body> {
        var body: Body
    }
}

extension JSONDocument.Versioned: Encodable where Body: Encodable {
    func encode(to encoder: Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: JSONDocument.SchemaKey.self)
        try container.encode(JSONDocument.schema, forKey: .schema)
    }
}

extension JSONDocument.Versioned: Decodable where Body: Decodable {
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: JSONDocument.SchemaKey.self)
        let found = try container.decodeIfPresent(Int.self, forKey: .schema)
        guard found == JSONDocument.schema else { throw JSONDocument.SchemaMismatch(found: found) }
        body = try Body(from: decoder)
    }
}
