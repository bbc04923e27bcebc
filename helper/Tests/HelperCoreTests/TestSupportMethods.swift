@testable import HelperCore

/// Throwaway methods the transport tests register and call; the helper's own are declared in
/// Sources/HelperCore/Protocol/ the same way.
enum TestMethod {
    struct PingParams: Codable, Sendable { var text: String }
    struct Pinged: Codable, Sendable, Equatable { var text: String }

    enum Slow: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/slow" }
    enum Fast: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/fast" }
    enum Block: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/block" }
    enum Fail: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/fail" }
    enum Crash: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/crash" }
    enum Act: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/act" }
    enum Ping: RPCRequestType { typealias Params = PingParams; typealias Result = String; static let method = "test/ping" }
    enum Hang: RPCRequestType { typealias Params = EmptyParams; typealias Result = String; static let method = "test/hang" }
    enum PingedNote: RPCNotificationType { typealias Params = Pinged; static let method = "test/pinged" }
}
