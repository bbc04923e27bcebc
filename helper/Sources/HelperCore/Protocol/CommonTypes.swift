import Foundation

/// Params of a method that takes none: `{}` on the wire (an absent `params` is read the same way).
public struct EmptyParams: Codable, Equatable, Sendable {
    public init() {}

    public init(from decoder: Decoder) throws {
        // Only checks that params is an object; extra members are ignored like any other params.
        _ = try decoder.container(keyedBy: AnyKey.self)
    }

    public func encode(to encoder: Encoder) throws {
        _ = encoder.container(keyedBy: AnyKey.self)
    }
}

/// The result of a method that answers `null` (e.g. `shutdown`).
public struct NullResult: Codable, Equatable, Sendable {
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard container.decodeNil() else {
            throw DecodingError.typeMismatch(NullResult.self, .init(codingPath: decoder.codingPath, debugDescription: "Expected null."))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// A coding key for containers whose members are not fixed.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

public enum Platform: String, Codable, Sendable {
    case linux
    case macos
}

public enum Arch: String, Codable, Sendable {
    case x86_64
    case arm64

    /// The architecture this helper was built for, which is the one its VMs run as.
    public static var current: Arch {
        #if arch(arm64)
        return .arm64
        #elseif arch(x86_64)
        return .x86_64
        #else
        #error("vmtui-helper supports x86_64 and arm64 hosts only.")
        #endif
    }
}

public enum BackendKind: String, Codable, Sendable {
    case qemu
    case vz
}

/// An optional member written as `null` when nil, never left out (progress notifications: the
/// client's decoders expect every key); read as nil when null or absent.
@propertyWrapper
public struct NullWhenNil<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A `NullWhenNil` member that is absent reads as nil (synthesized decoding calls this overload).
    public func decode<V>(_ type: NullWhenNil<V>.Type, forKey key: Key) throws -> NullWhenNil<V> {
        try decodeIfPresent(type, forKey: key) ?? NullWhenNil(wrappedValue: nil)
    }
}
