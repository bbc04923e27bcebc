import Foundation

/// A JSON-RPC request id: a number, a string, or null (only in answers to messages whose id
/// could not be read).
public enum RPCID: Codable, Hashable, Sendable, CustomStringConvertible {
    case number(Int)
    case string(String)
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "A request id must be a whole number, a string or null.")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    var json: JSONValue {
        switch self {
        case .number(let value): return .number(Double(value))
        case .string(let value): return .string(value)
        case .null: return .null
        }
    }

    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .null: return "null"
        }
    }
}

/// A request: has an id and gets exactly one answer. `params` is absent when nil.
public struct RPCRequest<Params: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var id: RPCID
    public var method: String
    public var params: Params?

    public init(id: RPCID, method: String, params: Params?) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A notification: no id, never answered.
public struct RPCNotification<Params: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var method: String
    public var params: Params?

    public init(method: String, params: Params?) {
        self.method = method
        self.params = params
    }
}

/// A successful answer. `result` is always written, as `null` when there is nothing to say.
public struct RPCResponse<Result: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var id: RPCID
    public var result: Result

    public init(id: RPCID, result: Result) {
        self.id = id
        self.result = result
    }
}

/// A failed answer.
public struct RPCErrorResponse: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var id: RPCID
    public var error: RPCErrorObject

    public init(id: RPCID, error: RPCErrorObject) {
        self.id = id
        self.error = error
    }
}

/// The `error` member of a failed answer. Also thrown locally when a peer answers with an error,
/// so a handler can pass a per-VM host's error on to its own client unchanged.
public struct RPCErrorObject: Error, Codable, Equatable, Sendable, LocalizedError {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var errorDescription: String? { message }
}
