/// A request method declared once with its name and types, so server and client code (and the
/// fixture tests) agree on them.
public protocol RPCRequestType {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var method: String { get }
}

/// A notification method declared once with its name and params type.
public protocol RPCNotificationType {
    associatedtype Params: Codable & Sendable
    static var method: String { get }
}
