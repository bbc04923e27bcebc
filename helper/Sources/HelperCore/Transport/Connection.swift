import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One JSON-RPC peer over a pair of file descriptors (stdio pipes or a unix socket).
///
/// A dedicated thread does blocking reads and feeds the framer; incoming requests run concurrently
/// as tasks through the router, notifications run one at a time in arrival order, and answers to
/// our own outgoing requests are matched by id. Writes are serialized by a lock.
/// The connection ends on EOF, a framing error, an I/O error or `close()`: in-flight requests are
/// cancelled and answered no more, outgoing requests fail, and `onClose` is called once.
public final class Connection: @unchecked Sendable {
    public let name: String
    private let input: Int32
    private let output: Int32
    private let ownsDescriptors: Bool

    private let stateLock = NSLock()
    private let writeLock = NSLock()
    // Guarded by stateLock.
    private var started = false
    private var closed = false
    private var closeRequested: CloseReason?
    private var router = Router()
    private var onClose: (@Sendable (CloseReason) -> Void)?
    private var inFlight: [RPCID: Task<Void, Never>] = [:]
    private var pending: [RPCID: CheckedContinuation<JSONValue, Error>] = [:]
    private var nextID = 1
    private var wake: (read: Int32, write: Int32)?
    private var notifications: AsyncStream<RPCNotification<JSONValue>>.Continuation?

    /// - Parameter ownsDescriptors: close `input` and `output` when the connection ends.
    public init(input: Int32, output: Int32, name: String, ownsDescriptors: Bool = false) {
        self.input = input
        self.output = output
        self.name = name
        self.ownsDescriptors = ownsDescriptors
    }

    /// Starts reading. Call once. A connection used only as a client may pass an empty router.
    public func start(router: Router = Router(), onClose: @escaping @Sendable (CloseReason) -> Void = { _ in }) {
        _ = Posix.ignoreSIGPIPE
        var continuation: AsyncStream<RPCNotification<JSONValue>>.Continuation!
        let stream = AsyncStream<RPCNotification<JSONValue>>(bufferingPolicy: .unbounded) { continuation = $0 }
        let wake = Posix.makePipe()
        let pipeError = errno
        let alreadyClosed: Bool = stateLock.locked {
            precondition(!started, "Connection.start called twice")
            started = true
            guard !closed else { return true }
            self.router = router
            self.onClose = onClose
            self.wake = wake
            self.notifications = continuation
            return false
        }
        if alreadyClosed {
            wake.map { Posix.close($0.read); Posix.close($0.write) }
            onClose(.closedLocally)
            return
        }
        guard wake != nil else {
            Log.error("\(name): could not make the wake-up pipe (\(Posix.describe(pipeError))); closing the connection.")
            finish(.readFailed(errno: pipeError))
            return
        }
        // Notifications keep their order (e.g. `exit` after everything before it).
        Task { [self] in
            for await notification in stream {
                await router.deliver(notification, context: RequestContext(id: nil, method: notification.method, connection: self))
            }
        }
        let thread = Thread { [self] in readLoop() }
        thread.name = "vmtui-rpc-\(name)"
        thread.start()
    }

    /// Ends the connection from this side; `onClose` gets `.closedLocally`.
    public func close() {
        requestClose(.closedLocally)
    }

    public var isClosed: Bool { stateLock.locked { closed } }

    // MARK: Sending

    /// Sends a notification; silently dropped once the connection has closed.
    public func notify<P: Encodable>(_ method: String, _ params: P) {
        do {
            send(RPCNotification(method: method, params: try JSONValue(encoding: params)))
        } catch {
            Log.error("\(name): could not encode the params of notification '\(method)': \(error).")
        }
    }

    public func notify<M: RPCNotificationType>(_ type: M.Type, _ params: M.Params) {
        notify(M.method, params)
    }

    /// Sends a request and waits for its answer. Throws the peer's RPCErrorObject, or
    /// ConnectionError.closed when the connection ends first. Task cancellation sends `$/cancelRequest`.
    /// With a `timeout`, the params carry `deadlineMs` (Unix time in ms; a peer that reads the request
    /// later drops it) and ConnectionError.timedOut is thrown when no answer came in time.
    public func request(_ method: String, params: JSONValue?, timeout: TimeInterval? = nil) async throws -> JSONValue {
        let id: RPCID = stateLock.locked {
            defer { nextID += 1 }
            return .number(nextID)
        }
        var params = params
        if let timeout {
            guard case .object(var members) = params ?? .object([:]) else {
                throw ConnectionError.unexpectedResult(method: method, detail: "a deadline needs params that are an object")
            }
            members[Self.deadlineKey] = .number((Date().timeIntervalSince1970 + timeout) * 1000)
            params = .object(members)
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, Error>) in
                let accepted = stateLock.locked { () -> Bool in
                    guard !closed else { return false }
                    pending[id] = continuation
                    return true
                }
                guard accepted else {
                    continuation.resume(throwing: ConnectionError.closed(name: name))
                    return
                }
                if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                        guard let self, let waiter = self.stateLock.locked({ self.pending.removeValue(forKey: id) }) else { return }
                        waiter.resume(throwing: ConnectionError.timedOut(name: self.name, method: method, seconds: timeout))
                    }
                }
                send(RPCRequest(id: id, method: method, params: params))
            }
        } onCancel: {
            notify(CancelRequestNotification.self, CancelParams(id: id))
        }
    }

    /// The params member that carries a request's deadline (PROTOCOL.md, "Deadlines").
    public static let deadlineKey = "deadlineMs"

    public func request<M: RPCRequestType>(_ type: M.Type, _ params: M.Params, timeout: TimeInterval? = nil) async throws -> M.Result {
        let raw = try await request(M.method, params: JSONValue(encoding: params), timeout: timeout)
        do {
            return try raw.decode(as: M.Result.self)
        } catch {
            throw ConnectionError.unexpectedResult(method: M.method, detail: "\(error)")
        }
    }

    private func send<T: Encodable>(_ message: T) {
        let body: Data
        do {
            body = try Connection.fastBody(message) ?? JSONCoding.encode(message)
        } catch {
            Log.error("\(name): could not encode an outgoing message: \(error).")
            return
        }
        let frame = MessageFramer.frame(body)
        let err: Int32 = writeLock.locked {
            // After the end nothing more is said, not even answers to requests still running.
            guard !isClosed else { return 0 }
            return Posix.writeAll(output, frame)
        }
        if err != 0 {
            Log.error("\(name): writing a message failed (\(Posix.describe(err))); closing the connection.")
            requestClose(.writeFailed(errno: err))
        }
    }

    /// Answers and notifications whose payload is a JSONValue (every routed answer, the stats)
    /// written by JSONTextWriter; nil for anything else, which JSONEncoder writes.
    static func fastBody<T: Encodable>(_ message: T) throws -> Data? {
        var out = [UInt8]()
        if let response = message as? RPCResponse<JSONValue> {
            out.append(contentsOf: "{\"id\":".utf8)
            try JSONTextWriter.write(response.id.json, to: &out)
            out.append(contentsOf: ",\"jsonrpc\":\"2.0\",\"result\":".utf8)
            try JSONTextWriter.write(response.result, to: &out)
        } else if let note = message as? RPCNotification<JSONValue> {
            out.append(contentsOf: "{\"jsonrpc\":\"2.0\",\"method\":".utf8)
            try JSONTextWriter.write(.string(note.method), to: &out)
            if let params = note.params {
                out.append(contentsOf: ",\"params\":".utf8)
                try JSONTextWriter.write(params, to: &out)
            }
        } else {
            return nil
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    // MARK: Reading

    private func readLoop() {
        var framer = MessageFramer()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        guard let wakeRead = stateLock.locked({ wake?.read }) else { return }
        // macOS's poll() rejects terminals (POLLNVAL); then plain blocking reads still work.
        var usePoll = true
        while true {
            if usePoll {
                var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 2, -1) < 0 {
                    if errno == EINTR { continue }
                    return finish(.readFailed(errno: errno))
                }
                if fds[1].revents != 0 {
                    return finish(stateLock.locked { closeRequested } ?? .closedLocally)
                }
                if fds[0].revents & Int16(POLLNVAL) != 0 {
                    if fcntl(input, F_GETFD) < 0 { return finish(.readFailed(errno: EBADF)) }
                    usePoll = false
                }
                if fds[0].revents == 0 { continue }
            }
            let count = Posix.read(input, into: buffer)
            if count == 0 { return finish(.endOfInput) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return finish(.readFailed(errno: errno))
            }
            do {
                for body in try framer.push(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                    dispatch(body)
                }
            } catch let error as FramingError {
                Log.error("\(name): \(error.localizedDescription) Closing the connection.")
                // Say why before closing, so a peer learns at once what is wrong with its frames.
                send(RPCErrorResponse(id: .null, error: .parseError(
                    "\(error.localizedDescription) The connection is closed.")))
                return finish(.framingError(error))
            } catch {
                return finish(.readFailed(errno: EIO))  // push throws only FramingError
            }
        }
    }

    private func dispatch(_ body: Data) {
        let value: JSONValue
        do {
            value = try JSONCoding.decode(JSONValue.self, from: body)
        } catch {
            Log.error("\(name): received a message that is not JSON (\(body.count) bytes); answering -32700.")
            send(RPCErrorResponse(id: .null, error: .parseError))
            return
        }
        switch IncomingMessage.classify(value) {
        case .failure(let invalid):
            Log.error("\(name): \(invalid.answer.error.message)")
            send(invalid.answer)
        case .success(.request(let request)):
            startRequest(request)
        case .success(.notification(let notification)):
            if notification.method == CancelRequestNotification.method {
                cancelInFlight(notification.params)
            } else {
                _ = stateLock.locked { notifications }?.yield(notification)
            }
        case .success(.response(let id, let outcome)):
            guard let continuation = stateLock.locked({ pending.removeValue(forKey: id) }) else {
                if case .failure(let error) = outcome {
                    Log.error("\(name): the peer reported an error for unknown request id \(id): \(error.message)")
                } else {
                    Log.debug("\(name): an answer arrived for unknown request id \(id); ignored.")
                }
                return
            }
            continuation.resume(with: outcome.mapError { $0 as Error })
        }
    }

    private func startRequest(_ request: RPCRequest<JSONValue>) {
        // A request read after its deadline (its sender gave up; this process was stopped, say) is
        // never carried out: doing it now would surprise everyone.
        if case .object(let members)? = request.params, case .number(let deadline)? = members[Self.deadlineKey],
           Date().timeIntervalSince1970 * 1000 > deadline {
            // Clamped: a deadline of -1e300 must not trap the conversion (found by the fuzzer).
            let late = Int(min(Date().timeIntervalSince1970 * 1000 - deadline, 1e12))
            Log.info("\(name): dropped '\(request.method)', read \(late) ms after its deadline.")
            send(RPCErrorResponse(id: request.id, error: RPCErrorObject(HelperError.cancelled(
                "'\(request.method)' arrived \(late) ms after its deadline and"))))
            return
        }
        let context = RequestContext(id: request.id, method: request.method, connection: self)
        // The task is created under the lock so it cannot finish before it is recorded.
        stateLock.locked {
            guard !closed else { return }
            let router = self.router
            inFlight[request.id] = Task { [self] in
                let outcome = await router.respond(to: request, context: context)
                _ = stateLock.locked { inFlight.removeValue(forKey: request.id) }
                switch outcome {
                case .success(let result): send(RPCResponse(id: request.id, result: result))
                case .failure(let error): send(RPCErrorResponse(id: request.id, error: error))
                }
            }
        }
    }

    private func cancelInFlight(_ params: JSONValue?) {
        guard let id = try? (params ?? .null).decode(as: CancelParams.self).id else {
            Log.debug("\(name): ignored a $/cancelRequest without a usable id.")
            return
        }
        stateLock.locked { inFlight[id] }?.cancel()
    }

    // MARK: Ending

    private func requestClose(_ reason: CloseReason) {
        let finishNow: Bool = stateLock.locked {
            guard !closed, closeRequested == nil else { return false }
            closeRequested = reason
            guard started, let wake else { return true }
            var byte: UInt8 = 1
            _ = Posix.writeAll(wake.write, Data(bytes: &byte, count: 1))
            return false
        }
        if finishNow { finish(reason) }
    }

    /// Runs once, on the reader thread (or at once if reading never started).
    private func finish(_ reason: CloseReason) {
        let (tasks, waiters, handler, queue, wake): ([Task<Void, Never>], [CheckedContinuation<JSONValue, Error>], (@Sendable (CloseReason) -> Void)?, AsyncStream<RPCNotification<JSONValue>>.Continuation?, (read: Int32, write: Int32)?) =
            writeLock.locked {
                stateLock.locked {
                    closed = true
                    defer {
                        inFlight = [:]
                        pending = [:]
                        onClose = nil
                        notifications = nil
                        self.wake = nil
                    }
                    return (Array(inFlight.values), Array(pending.values), onClose, notifications, self.wake)
                }
            }
        if ownsDescriptors {
            Posix.close(input)
            if output != input { Posix.close(output) }
        }
        if let wake {
            Posix.close(wake.read)
            Posix.close(wake.write)
        }
        if !tasks.isEmpty {
            Log.info("\(name): closed (\(reason)); \(tasks.count) request(s) still running were cancelled and get no answer.")
        }
        tasks.forEach { $0.cancel() }
        waiters.forEach { $0.resume(throwing: ConnectionError.closed(name: name)) }
        queue?.finish()
        handler?(reason)
    }
}
