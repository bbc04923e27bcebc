import Foundation

/// Decodes a Decodable straight from a JSONValue. It saves re-serializing params, and every error
/// carries the exact coding path: Foundation's JSONDecoder on Linux reports a number that does not
/// fit its type (1.5 for an Int, -1 for a UInt64) as "not valid JSON" at the root, which would hide
/// the field an invalid-params answer must name. Data, URL and Decimal read as JSONDecoder reads them.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue, codingPath: [CodingKey]) {
        self.value = value.plain
        self.codingPath = codingPath
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try unbox(value, as: type, path: [])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([Any].self, value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath)
    }

    // MARK: Values

    static func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, path: [CodingKey]) throws -> T {
        if case .written(let kept) = value { return try unbox(kept.value, as: type, path: path) }
        switch type {
        case is JSONValue.Type: return value as! T
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw failure(type, value, path) }
            return flag as! T
        case is String.Type:
            guard case .string(let text) = value else { throw failure(type, value, path) }
            return text as! T
        case is Double.Type: return try number(value, type, path) as! T
        case is Float.Type: return Float(try number(value, type, path)) as! T
        case is Int.Type: return try integer(value, Int.self, path) as! T
        case is Int8.Type: return try integer(value, Int8.self, path) as! T
        case is Int16.Type: return try integer(value, Int16.self, path) as! T
        case is Int32.Type: return try integer(value, Int32.self, path) as! T
        case is Int64.Type: return try integer(value, Int64.self, path) as! T
        case is UInt.Type: return try integer(value, UInt.self, path) as! T
        case is UInt8.Type: return try integer(value, UInt8.self, path) as! T
        case is UInt16.Type: return try integer(value, UInt16.self, path) as! T
        case is UInt32.Type: return try integer(value, UInt32.self, path) as! T
        case is UInt64.Type: return try integer(value, UInt64.self, path) as! T
        case is Decimal.Type: return Decimal(try number(value, type, path)) as! T
        case is Data.Type:
            guard case .string(let text) = value else { throw failure(type, value, path) }
            guard let data = Data(base64Encoded: text) else { throw corrupted("The string is not valid base64.", path) }
            return data as! T
        case is URL.Type:
            guard case .string(let text) = value else { throw failure(type, value, path) }
            guard let url = URL(string: text) else { throw corrupted("The string is not a valid URL.", path) }
            return url as! T
        default:
            return try T(from: JSONValueDecoder(value: value, codingPath: path))
        }
    }

    private static func number(_ value: JSONValue, _ type: Any.Type, _ path: [CodingKey]) throws -> Double {
        guard case .number(let number) = value else { throw failure(type, value, path) }
        return number
    }

    private static func integer<I: FixedWidthInteger>(_ value: JSONValue, _ type: I.Type, _ path: [CodingKey]) throws -> I {
        let number = try number(value, type, path)
        guard let exact = I(exactly: number) else {
            throw corrupted("\(number) is not a whole number that fits in \(I.self)", path)
        }
        return exact
    }

    /// null where a value is required is valueNotFound (like JSONDecoder); anything else a type mismatch.
    private static func failure(_ type: Any.Type, _ value: JSONValue, _ path: [CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "Expected \(type) but found null."))
        }
        return mismatch(type, value, path)
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected \(type) but found \(InvalidParams.describe(value))."))
    }

    private static func corrupted(_ description: String, _ path: [CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: description))
    }
}

/// An array position in a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for key '\(key.stringValue)'."))
        }
        return value
    }

    private func unboxed<T: Decodable>(_ key: Key) throws -> T {
        try JSONValueDecoder.unbox(value(key), as: T.self, path: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try unboxed(key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try unboxed(key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try unboxed(key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try unboxed(key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try unboxed(key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try unboxed(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try unboxed(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try unboxed(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try unboxed(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try unboxed(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try unboxed(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try unboxed(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try unboxed(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try unboxed(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try unboxed(key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoder(value: value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try JSONValueDecoder(value: value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        JSONValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [AnyKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        JSONValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> (JSONValue, [CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "The array has no more elements."))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    private mutating func unboxed<T: Decodable>() throws -> T {
        let (value, path) = try next()
        return try JSONValueDecoder.unbox(value, as: T.self, path: path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try unboxed() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try unboxed() }
    mutating func decode(_ type: String.Type) throws -> String { try unboxed() }
    mutating func decode(_ type: Double.Type) throws -> Double { try unboxed() }
    mutating func decode(_ type: Float.Type) throws -> Float { try unboxed() }
    mutating func decode(_ type: Int.Type) throws -> Int { try unboxed() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try unboxed() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try unboxed() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try unboxed() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try unboxed() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try unboxed() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxed() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxed() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxed() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxed() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next()
        return try JSONValueDecoder(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (value, path) = try next()
        return try JSONValueDecoder(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (value, path) = try next()
        return JSONValueDecoder(value: value, codingPath: path)
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [CodingKey]

    private func unboxed<T: Decodable>() throws -> T {
        try JSONValueDecoder.unbox(value, as: T.self, path: codingPath)
    }

    func decodeNil() -> Bool { value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unboxed() }
    func decode(_ type: Bool.Type) throws -> Bool { try unboxed() }
    func decode(_ type: String.Type) throws -> String { try unboxed() }
    func decode(_ type: Double.Type) throws -> Double { try unboxed() }
    func decode(_ type: Float.Type) throws -> Float { try unboxed() }
    func decode(_ type: Int.Type) throws -> Int { try unboxed() }
    func decode(_ type: Int8.Type) throws -> Int8 { try unboxed() }
    func decode(_ type: Int16.Type) throws -> Int16 { try unboxed() }
    func decode(_ type: Int32.Type) throws -> Int32 { try unboxed() }
    func decode(_ type: Int64.Type) throws -> Int64 { try unboxed() }
    func decode(_ type: UInt.Type) throws -> UInt { try unboxed() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxed() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxed() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxed() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxed() }
}
