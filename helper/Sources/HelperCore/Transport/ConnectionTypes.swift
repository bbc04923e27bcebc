import Foundation

/// Why a connection ended.
public enum CloseReason: Equatable, Sendable, CustomStringConvertible {
    /// The peer closed its end (EOF): the normal end of a session.
    case endOfInput
    /// `close()` was called on this side.
    case closedLocally
    /// The byte stream could not be split into frames.
    case framingError(FramingError)
    case readFailed(errno: Int32)
    case writeFailed(errno: Int32)

    public var description: String {
        switch self {
        case .endOfInput: return "the peer closed the stream"
        case .closedLocally: return "it was closed on this side"
        case .framingError(let error): return error.localizedDescription
        case .readFailed(let err): return "reading failed: \(Posix.describe(err))"
        case .writeFailed(let err): return "writing failed: \(Posix.describe(err))"
        }
    }
}

/// Failures of outgoing requests that are not the peer's own error answers (those are thrown as
/// RPCErrorObject).
public enum ConnectionError: Error, Equatable, Sendable, LocalizedError {
    case closed(name: String)
    /// No answer within the caller's deadline; the request was withdrawn (a late answer is ignored).
    case timedOut(name: String, method: String, seconds: Double)
    case unexpectedResult(method: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case .closed(let name):
            return "The connection '\(name)' closed before an answer came; reconnect and try again."
        case .timedOut(let name, let method, let seconds):
            return "'\(method)' on '\(name)' got no answer within \(Self.seconds(seconds))."
        case .unexpectedResult(let method, let detail):
            return "The answer to '\(method)' did not have the expected shape (\(detail)); the two sides may be different versions."
        }
    }
}

extension ConnectionError {
    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }
}

/// What a handler knows about the message it is serving.
public struct RequestContext: Sendable {
    /// nil for a notification.
    public let id: RPCID?
    public let method: String
    /// The connection the message came on; use it to push notifications (progress, console data).
    public let connection: Connection

    public init(id: RPCID?, method: String, connection: Connection) {
        self.id = id
        self.method = method
        self.connection = connection
    }
}
