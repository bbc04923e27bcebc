import Foundation

/// Any JSON value. Used where the protocol leaves a shape open (raw params, error data) and to
/// compare messages structurally.
public enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A value with its JSON text written once and kept: vm/list sends each unchanged VM's text
    /// again instead of writing it on every call. It equals, encodes and decodes as its value.
    indirect case written(WrittenJSON)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool before Double: the decoder must not read `true` as 1.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "The value is not JSON.")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers go out as integers ("25769803776", not "2.5769803776e+10").
            if value.rounded() == value, abs(value) <= 9_007_199_254_740_992 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .written(let kept): try kept.value.encode(to: encoder)
        }
    }

    /// Equal as JSON: a written value equals the value it was written from.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.written(let kept), _): return kept.value == b
        case (_, .written(let kept)): return a == kept.value
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    /// This value without its kept text (the value a `.written` was made from).
    public var plain: JSONValue {
        if case .written(let kept) = self { return kept.value }
        return self
    }

    /// `value` with its JSON text written now, for sending many times unchanged.
    public static func writing(_ value: JSONValue) throws -> JSONValue {
        var bytes = [UInt8]()
        try JSONTextWriter.write(value, to: &bytes)
        return .written(WrittenJSON(value: value.plain, text: bytes))
    }
}

/// A JSON value and its text as JSONTextWriter writes it (see `JSONValue.written`).
public struct WrittenJSON: Sendable {
    public let value: JSONValue
    let text: [UInt8]
}

extension JSONValue {
    /// The member `key` of an object, or nil for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = plain { return members[key] }
        return nil
    }

    /// Converts any Encodable value (a typed result, typed params) to its JSON form.
    public init<T: Encodable>(encoding value: T) throws {
        // Forwarded params are JSONValue already: no text round trip on the console hot path.
        if let json = value as? JSONValue { self = json; return }
        // Read back with a small parser of our own encoder's output: decoding JSONValue through
        // Codable tries each kind in turn and throws for every miss, and JSONSerialization's
        // NSDictionary bridging costs as much; together they made vm/list of 200 VMs slow.
        var reader = JSONTextReader(bytes: Array(try JSONCoding.encode(value)))
        self = try reader.value()
    }

    /// Reads this JSON as a typed value; a mismatch throws a DecodingError with the exact path.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: self)
    }
}

/// One place that sets how the helper writes and reads JSON.
public enum JSONCoding {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        // Sorted keys keep output stable for logs and tests; unescaped slashes keep "host/info" readable.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        // Foundation's decoder traps instead of throwing on some bad strings (JSONTextCheck).
        if let problem = JSONTextCheck.problem(in: data) {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: problem))
        }
        return try JSONDecoder().decode(type, from: data)
    }
}

/// Reads JSON text into a JSONValue. Used for what JSONEncoder just wrote, so it is strict and
/// small: any deviation throws.
struct JSONTextReader {
    let bytes: [UInt8]
    var at = 0

    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "malformed JSON at byte \(offset)" }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    private static let numberBytes = Set("0123456789+-.eE".utf8)

    mutating func value() throws -> JSONValue {
        let result = try next()
        skipSpace()
        guard at == bytes.count else { throw Malformed(offset: at) }
        return result
    }

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func expect(_ word: String) throws {
        for b in word.utf8 {
            guard at < bytes.count, bytes[at] == b else { throw Malformed(offset: at) }
            at += 1
        }
    }

    private mutating func next() throws -> JSONValue {
        skipSpace()
        guard at < bytes.count else { throw Malformed(offset: at) }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(":")
                members[key] = try next()
                skipSpace()
                guard at < bytes.count else { throw Malformed(offset: at) }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                try expect("}")
                return .object(members)
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                items.append(try next())
                skipSpace()
                guard at < bytes.count else { throw Malformed(offset: at) }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                try expect("]")
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null"); return .null
        default:
            let start = at
            while at < bytes.count, JSONTextReader.numberBytes.contains(bytes[at]) { at += 1 }
            guard at > start, let number = Double(String(decoding: bytes[start..<at], as: UTF8.self)) else { throw Malformed(offset: start) }
            return .number(number)
        }
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var out: [UInt8] = []
        while at < bytes.count {
            let c = bytes[at]
            at += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard at < bytes.count else { break }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    try expect("\\u")
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw Malformed(offset: at) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw Malformed(offset: at) }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw Malformed(offset: at - 1)
            }
        }
        throw Malformed(offset: at)
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
            throw Malformed(offset: at)
        }
        at += 4
        return v
    }
}
