import Foundation

/// The method table. Features register their methods (typed params in, typed result out) in their
/// own files; the router decodes params, runs the handler and turns every failure into a JSON-RPC
/// error, so a request always gets exactly one answer.
public final class Router: @unchecked Sendable {
    typealias RequestHandler = @Sendable (JSONValue?, RequestContext) async throws -> JSONValue
    typealias NotificationHandler = @Sendable (JSONValue?, RequestContext) async throws -> Void

    private let lock = NSLock()
    private var requestHandlers: [String: RequestHandler] = [:]
    private var notificationHandlers: [String: NotificationHandler] = [:]
    private var admission: (@Sendable (String) -> RPCErrorObject?)?
    private var gate: (@Sendable (String) async -> Void)?

    public init() {}

    /// Adds a request method by its name; every caller goes through a typed declaration below.
    /// Params absent on the wire are read as `{}`.
    private func add<P: Decodable, R: Encodable>(
        _ method: String,
        _ handler: @escaping @Sendable (P, RequestContext) async throws -> R
    ) {
        lock.locked {
            precondition(requestHandlers[method] == nil, "method '\(method)' registered twice")
            requestHandlers[method] = { raw, context in
                let params = try Self.decodeParams(P.self, from: raw)
                let result = try await handler(params, context)
                do {
                    return try JSONValue(encoding: result)
                } catch {
                    throw RPCErrorObject.internalError("The helper could not encode its answer to '\(method)' (\(error)); this is a bug in the helper.")
                }
            }
        }
    }

    public func register<M: RPCRequestType>(
        _ type: M.Type,
        _ handler: @escaping @Sendable (M.Params, RequestContext) async throws -> M.Result
    ) {
        add(M.method, handler)
    }

    /// A request method whose handler gives its answer already as JSON (vm/list keeps each VM's
    /// part between calls instead of encoding the whole result again).
    public func register<M: RPCRequestType>(
        _ type: M.Type,
        answeredAsJSON handler: @escaping @Sendable (M.Params, RequestContext) async throws -> JSONValue
    ) {
        add(M.method, handler)
    }

    /// Registers a request method whose handler does not `await`. Such a handler may block (file
    /// I/O, waiting on a process), so it runs on a thread of its own: blocked there, it cannot starve
    /// the small cooperative pool (one thread per core) that every async handler shares.
    private func add<P: Decodable, R: Encodable>(
        _ method: String,
        _ handler: @escaping @Sendable (P, RequestContext) throws -> R
    ) {
        add(method) { (params: P, context: RequestContext) async throws -> R in
            try await runOnOwnThread { try handler(params, context) }
        }
    }

    public func register<M: RPCRequestType>(
        _ type: M.Type,
        _ handler: @escaping @Sendable (M.Params, RequestContext) throws -> M.Result
    ) {
        add(M.method, handler)
    }

    /// The per-VM host's side of a method (it answers `M.HostResult`); params naming another VM
    /// than `vm` are refused.
    public func register<M: HostRequestType>(
        _ type: M.Type, answeringFor vm: String,
        _ handler: @escaping @Sendable (M.Params, RequestContext) async throws -> M.HostResult
    ) {
        add(M.method) { (params: M.Params, context: RequestContext) async throws -> M.HostResult in
            try Self.check(params, isFor: vm)
            return try await handler(params, context)
        }
    }

    /// The same for a handler that does not `await` (run on a thread of its own, as above).
    public func register<M: HostRequestType>(
        _ type: M.Type, answeringFor vm: String,
        _ handler: @escaping @Sendable (M.Params, RequestContext) throws -> M.HostResult
    ) {
        add(M.method) { (params: M.Params, context: RequestContext) throws -> M.HostResult in
            try Self.check(params, isFor: vm)
            return try handler(params, context)
        }
    }

    private static func check(_ params: some VMNamed, isFor vm: String) throws {
        guard params.name == vm else {
            throw HelperError.invalidParams(field: "name", message: "This host runs VM '\(vm)', not '\(params.name)'.")
        }
    }

    /// Adds a notification method. Notifications are handled one at a time, in order.
    private func addNotification<P: Decodable>(
        _ method: String,
        _ handler: @escaping @Sendable (P, RequestContext) async throws -> Void
    ) {
        lock.locked {
            precondition(notificationHandlers[method] == nil, "notification '\(method)' registered twice")
            notificationHandlers[method] = { raw, context in
                try await handler(try Self.decodeParams(P.self, from: raw), context)
            }
        }
    }

    public func onNotification<M: RPCNotificationType>(
        _ type: M.Type,
        _ handler: @escaping @Sendable (M.Params, RequestContext) async throws -> Void
    ) {
        addNotification(M.method, handler)
    }

    /// A check run before every request; a non-nil error is sent instead of running the handler
    /// (used to refuse work after `shutdown`).
    public func setAdmission(_ check: @escaping @Sendable (String) -> RPCErrorObject?) {
        lock.locked { admission = check }
    }

    /// A wait before every admitted request (serve holds VM methods until the store watcher's first
    /// look); the handler runs when it returns.
    public func setGate(_ wait: @escaping @Sendable (String) async -> Void) {
        lock.locked { gate = wait }
    }

    /// Every request method, sorted (for `capabilities.methods`).
    public var methods: [String] {
        lock.locked { requestHandlers.keys.sorted() }
    }

    /// Runs a request and returns its answer; never throws.
    public func respond(to request: RPCRequest<JSONValue>, context: RequestContext) async -> Result<JSONValue, RPCErrorObject> {
        let (handler, admission, gate) = lock.locked { (requestHandlers[request.method], self.admission, self.gate) }
        if let refusal = admission?(request.method) { return .failure(refusal) }
        guard let handler else { return .failure(.methodNotFound(request.method)) }
        await gate?(request.method)
        do {
            return .success(try await handler(request.params, context))
        } catch {
            return .failure(ErrorMapping.rpcError(for: error, method: request.method))
        }
    }

    /// Runs a notification; failures and unknown methods are only logged (there is no one to answer).
    public func deliver(_ notification: RPCNotification<JSONValue>, context: RequestContext) async {
        guard let handler = lock.locked({ notificationHandlers[notification.method] }) else {
            // "$/" methods are optional by convention (LSP); others deserve a line in the log.
            if !notification.method.hasPrefix("$/") {
                Log.info("ignored notification '\(notification.method)', which this helper does not know.")
            }
            return
        }
        do {
            try await handler(notification.params, context)
        } catch {
            Log.error("the '\(notification.method)' notification failed: \(ErrorMapping.rpcError(for: error, method: notification.method).message)")
        }
    }

    static func decodeParams<P: Decodable>(_ type: P.Type, from raw: JSONValue?) throws -> P {
        let params = raw ?? .object([:])
        guard case .object = params else {
            throw HelperError.invalidParams(field: "params", message: "The params must be a JSON object with named members, not \(InvalidParams.describe(params)).")
        }
        do {
            return try params.decode(as: P.self)
        } catch let error as DecodingError {
            throw InvalidParams.error(from: error)
        }
    }
}
