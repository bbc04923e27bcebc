import Foundation

/// How long the serve process waits for a per-VM host (PROTOCOL.md, "Deadlines"). Nothing serve
/// asks a host waits longer, so one stuck host never holds up answers about other VMs.
public enum HostDeadline {
    /// Status, samples and the console: a healthy host answers at once.
    public static var query: TimeInterval {
        ProcessInfo.processInfo.environment["VMTUI_HOST_DEADLINE_SECONDS"].flatMap(Double.init) ?? 3
    }
    /// Pause and resume: QMP's own 30 s, plus a margin (asked only after the host answered a status query).
    public static var control: TimeInterval { 30 + query }
    /// Suspend: the save's own deadline (QEMUBackend+State.swift), then the host's end, plus a margin.
    public static func suspend(memoryBytes: UInt64) -> TimeInterval { 60 + Double(memoryBytes) / 20_000_000 + 15 + query + 10 }
    /// The host's stop ladder: the power button's wait, then quit (5 s) and the wait for qemu's end (10 s), plus a margin.
    public static func stop(timeoutMs: Int?, force: Bool) -> TimeInterval {
        (force ? 0 : Double(timeoutMs ?? 30_000) / 1000) + 15 + query
    }
}

/// The serve process's connection to one running host's control socket. Notifications from the
/// host (state changes, console data) are passed to `forward`. Every request has a deadline; a
/// host that misses one is given up on: the link closes (the request, still unread by a stopped
/// host, carries its deadline and is dropped there) and the next call makes a new link.
public final class HostLink: @unchecked Sendable {
    public let name: String
    /// The host process this link reaches; a later host for the same VM needs a new link.
    public let hostPid: Int32
    let connection: Connection
    private let abandonedLock = NSLock()
    private var abandoned = false

    init(bundle: VMBundle, hostPid: Int32, forward: @escaping @Sendable (String, JSONValue) -> Void,
         onClose: @escaping @Sendable () -> Void) throws {
        name = bundle.name
        self.hostPid = hostPid
        let fd: Int32
        do {
            try SafeFile.requireKind(bundle.controlSocket, .socket, absentOK: true)
            fd = try UnixSocket.connect(bundle.controlSocket.path, timeout: min(2, HostDeadline.query))
        } catch {
            let why = (error as? HelperError)?.message ?? "\(error)"
            throw HelperError.hostNotAnswering(name: bundle.name, pid: hostPid, reason: "its control socket cannot be reached (\(why.trimmingCharacters(in: CharacterSet(charactersIn: "."))))." )
        }
        connection = Connection(input: fd, output: fd, name: "host-\(bundle.name)", ownsDescriptors: true)
        let router = Router()
        router.onNotification(StateChangedNotification.self) { p, _ in forward(StateChangedNotification.method, try JSONValue(encoding: p)) }
        router.onNotification(InstallProgressNotification.self) { p, _ in forward(InstallProgressNotification.method, try JSONValue(encoding: p)) }
        router.onNotification(SuspendProgressNotification.self) { p, _ in forward(SuspendProgressNotification.method, try JSONValue(encoding: p)) }
        router.onNotification(ConsoleDataNotification.self) { p, _ in forward(ConsoleDataNotification.method, try JSONValue(encoding: p)) }
        connection.start(router: router) { [abandonedLock] _ in
            // A link given up on is closed by us; its host has not necessarily gone.
            if !abandonedLock.locked({ self.abandoned }) { onClose() }
        }
    }

    /// Asks the host; its answer is the declaration's `HostResult`.
    func request<M: HostRequestType>(_ type: M.Type, _ params: M.Params, timeout: TimeInterval = HostDeadline.query) async throws -> M.HostResult {
        let raw: JSONValue
        do { raw = try await connection.request(M.method, params: try JSONValue(encoding: params), timeout: timeout) } catch let error as ConnectionError {
            throw failure(error)
        }
        return try raw.decode(as: M.HostResult.self)
    }

    private func failure(_ error: ConnectionError) -> HelperError {
        guard case .timedOut(_, let method, let seconds) = error else {
            return .hostUnreachable(name: name, reason: error.localizedDescription)
        }
        abandonedLock.locked { abandoned = true }
        connection.close()
        return .hostNotAnswering(name: name, pid: hostPid, reason: "'\(method)' got no answer within \(ConnectionError.seconds(seconds)).")
    }

    /// Closes the link from this side (a duplicate made in a race, a stale or dropped link): its host
    /// has not necessarily gone, so `onClose` is not called. Only the host's end of the socket
    /// closing reports the host gone.
    func close() {
        abandonedLock.locked { abandoned = true }
        connection.close()
    }

    var isOpen: Bool { !connection.isClosed }
}
