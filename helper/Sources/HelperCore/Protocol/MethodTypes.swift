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

/// A request the per-VM host answers on its control socket. Serve passes a client's request on
/// under the same declaration. The host answers with `HostResult`, which is `Result` unless a
/// declaration says otherwise: for `vm/stop`, `vm/pause` and `vm/resume` the host knows only its
/// running state (`HostStatus`, a subset of `VMInfo`), and serve adds the bundle's facts.
public protocol HostRequestType: RPCRequestType where Params: VMNamed {
    associatedtype HostResult: Codable & Sendable = Result
}

/// Params that name one VM (a per-VM host refuses a name other than its own).
public protocol VMNamed {
    var name: String { get }
}

/// A part of the helper that answers methods registers them itself, beside its own code, from the
/// typed declarations in Protocol/ (`router.register(SomeRequest.self) { params, context in … }`).
/// `Serve.makeRouter` and the per-VM host list the services they run.
public protocol MethodService {
    func register(on router: Router)
}
