import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vmtui-helper host <bundle>`: the detached process that owns one running guest. It holds the
/// bundle's lock, serves JSON-RPC on control.sock, writes console.log and events.jsonl, and exits
/// when the guest stops (ARCHITECTURE.md, "The three processes").
public final class VMHost: BackendEvents, @unchecked Sendable {
    public let bundle: VMBundle
    private let lock = NSLock()
    private var state: VMState = .starting
    private var stateReason: String?
    private(set) var backend: VMBackend?
    private var clients: [ObjectIdentifier: Connection] = [:]
    private var consoleClients: Set<ObjectIdentifier> = []
    private var console: ConsoleLog?
    private var chunker = UTF8Chunker()
    private var pendingConsole = ""
    private var flushScheduled = false
    private let consoleQueue = DispatchQueue(label: "console-flush")
    private let events: EventLog
    private let startDate = Date()
    private let startedAt: String
    private let stoppedSignal = DispatchSemaphore(value: 0)
    /// Time spent paused, which is not uptime: the paused spells so far, and the one going on.
    private var pausedSeconds: TimeInterval = 0
    private var pausedSince: Date?
    private var ending: BackendStop?
    let access = HostAccess()
    let suspension = Suspension()

    init(bundle: VMBundle) {
        startedAt = VMEvent.format(startDate)
        self.bundle = bundle
        events = EventLog(url: bundle.events)
    }

    /// Runs the host until the guest stops; returns the process exit status. One line goes to
    /// `readyFD` for the process that started it: `ok <HostStatus JSON>` or `error <RPC error JSON>`.
    public static func run(bundlePath: String, readyFD: Int32,
                           makeBackend: (VMConfig, VMBundle) throws -> VMBackend) -> Int32 {
        let url = URL(fileURLWithPath: bundlePath, isDirectory: true).standardizedFileURL
        let name = url.lastPathComponent
        guard VMName.isValid(name) else {
            report(readyFD, error: HelperError.invalidName(name))
            return 2
        }
        let host = VMHost(bundle: VMBundle(name: name, url: url))
        var heldLock: HostLock?
        let listener: Int32
        do {
            heldLock = try HostLock.acquire(host.bundle.lock, name: name)
            let config = try host.bundle.loadConfig()
            try StartChecks.verify(host.bundle, config)
            try host.events.checkWritable()
            host.console = try ConsoleLog(url: host.bundle.consoleLog)
            host.backend = try makeBackend(config, host.bundle)
            listener = try UnixSocket.listen(host.bundle.controlSocket.path)
        } catch {
            // Only a host holding the lock may tidy: another one may be running this VM.
            if heldLock != nil { host.removeSockets(listening: false) }
            report(readyFD, error: error)
            return 3
        }
        host.acceptClients(listener)
        host.installSignalHandlers()
        host.setState(.starting)
        do {
            // On the main thread: qemu's parent-death signal is tied to the spawning thread.
            try host.startBackend(host.backend!)
        } catch {
            host.setState(.error, reason: (error as? HelperError)?.message ?? "\(error)")
            report(readyFD, error: error)
            host.finish(listener: listener)
            return 4
        }
        host.setState(host.backend!.activeState)
        host.startAccess()
        report(readyFD, status: host.status())
        if host.backend is MainRunLoopBackend {
            MainRunLoop.wait(for: host.stoppedSignal)
        } else {
            host.stoppedSignal.wait()
        }
        var final: (state: VMState, reason: String?) = (.stopped, nil)
        if case .failed(let reason) = host.ending ?? .forced { final = (.error, reason) }
        if final.state == .stopped { final.reason = host.ownStopReason(host.ending) }
        if host.suspension.isDone { final = (.suspended, SavedState.suspendedReason(host.bundle)) }
        host.endAccess()
        // Durable record first, then the lock, then the answer: whoever sees the lock free (a new
        // start, a vm/get) also sees the final state, and a client told "stopped" can start again.
        let event = host.events.append(state: final.state, reason: final.reason)
        withExtendedLifetime(heldLock) {}
        heldLock = nil
        host.setState(final.state, reason: final.reason, recorded: event)
        host.finish(listener: listener)
        return 0
    }

    public func status() -> HostStatus {
        lock.lock()
        defer { lock.unlock() }
        return HostStatus(state: state, stateReason: stateReason, hostPid: getpid(), vmPid: backend?.vmProcessID,
                          accelerator: backend?.accelerator ?? "", sshAddress: backend?.sshAddress, startedAt: startedAt,
                          address: backend?.reportedGuestAddress, ssh: sshStatus)
    }

    /// `host/sample` (HostSampling.swift).
    func sample() -> HostSample {
        HostSampling.sample(status: status(), startDate: startDate, pausedSeconds: lock.locked { pausedTotal(at: Date()) },
                                   outcome: { [self] in lock.locked { ending } })
    }

    // MARK: Lifecycle operations (called from control-socket requests)

    /// The stop ladder: power button, wait, then quit. Each step is announced in vm/stateChanged.
    func stop(force: Bool, timeout: TimeInterval) async throws -> HostStatus {
        guard let backend, !isEnded else { return status() }
        noteStopRequested()
        if !force {
            if currentState == .paused { try backend.resume(); setState(.running) }
            setState(.stopping, step: "powerButton")
            try backend.requestStop()
            if await waitForEnd(timeout: timeout) { return status() }
        }
        setState(.stopping, step: "forceQuit")
        try backend.forceStop()
        _ = await waitForEnd(timeout: 10)
        return status()
    }

    func pause() throws -> HostStatus {
        guard let backend, currentState == .running else { throw invalidState("pause") }
        setState(.pausing)
        do { try backend.pause() } catch { setState(.running); throw error }
        setState(.paused)
        return status()
    }

    func resume() throws -> HostStatus {
        guard let backend, currentState == .paused else { throw invalidState("resume") }
        setState(.resuming)
        do { try backend.resume() } catch { setState(.paused); throw error }
        setState(.running)
        return status()
    }

    func attachConsole(_ connection: Connection) -> String {
        lock.lock()
        consoleClients.insert(ObjectIdentifier(connection))
        lock.unlock()
        return String(decoding: console?.tail() ?? [], as: UTF8.self)
    }

    func detachConsole(_ connection: Connection) {
        lock.lock()
        consoleClients.remove(ObjectIdentifier(connection))
        lock.unlock()
    }

    func writeConsole(_ text: String) throws {
        guard let backend, !isEnded else { throw invalidState("type on the console of") }
        try backend.writeConsole(Array(text.utf8))
    }

    /// The running backend's screen, or a sentence saying why there is none.
    func screen() throws -> ScreenBackend {
        guard let backend, !isEnded else { throw invalidState("see the screen of") }
        guard let screen = backend as? ScreenBackend else {
            throw HelperError.unsupported("This backend cannot show VM '\(bundle.name)''s screen.")
        }
        return screen
    }

    // MARK: BackendEvents

    public func backendConsoleOutput(_ bytes: [UInt8]) {
        console?.append(bytes)
        noteConsoleForRestart()
        lock.lock()
        pendingConsole += chunker.push(bytes)
        let schedule = !flushScheduled && !pendingConsole.isEmpty
        if schedule { flushScheduled = true }
        lock.unlock()
        // A serial port delivers a byte at a time; batch it into a few notifications a second.
        if schedule { consoleQueue.asyncAfter(deadline: .now() + .milliseconds(30)) { [weak self] in self?.flushConsole() } }
    }

    private func flushConsole() {
        lock.lock()
        let text = pendingConsole
        pendingConsole = ""
        flushScheduled = false
        let targets = clients.filter { consoleClients.contains($0.key) }.map(\.value)
        lock.unlock()
        guard !text.isEmpty else { return }
        for c in targets { c.notify(ConsoleDataNotification.self, ConsoleDataParams(name: bundle.name, data: text)) }
    }

    public func backendStateChanged(_ newState: VMState) {
        // QMP also reports STOP while shutting down; only pause/resume seen from outside matter.
        let s = currentState
        if newState == .restarting { guestRestarted(); return }
        if (newState == .paused && s == .running) || (newState == .running && s == .paused) { setState(newState) }
    }

    public func backendProgress(phase: String, fraction: Double) {
        lock.lock()
        let targets = Array(clients.values)
        lock.unlock()
        let note = InstallProgressParams(name: bundle.name, fraction: fraction, phase: phase)
        for c in targets { c.notify(InstallProgressNotification.self, note) }
    }

    public func backendDidStop(_ how: BackendStop) {
        lock.lock()
        let first = ending == nil
        if first { ending = how }
        lock.unlock()
        if first { stoppedSignal.signal() }
    }

    // MARK: Internals

    /// Called with the lock held.
    private func pausedTotal(at now: Date) -> TimeInterval {
        pausedSeconds + (pausedSince.map { now.timeIntervalSince($0) } ?? 0)
    }

    var currentState: VMState { lock.lock(); defer { lock.unlock() }; return state }
    var isEnded: Bool { lock.lock(); defer { lock.unlock() }; return ending != nil }

    func invalidState(_ action: String) -> HelperError {
        .invalidState(name: bundle.name, state: currentState.rawValue, action: action)
    }

    /// Waits until the guest has stopped and its final state is recorded (see `run`).
    func waitForEnd(timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if hasFinalState { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return hasFinalState
    }

    private var hasFinalState: Bool {
        lock.lock(); defer { lock.unlock() }
        return ending != nil && (state == .stopped || state == .error || state == .suspended)
    }

    func setState(_ newState: VMState, step: String? = nil, reason: String? = nil, recorded: VMEvent? = nil) {
        let event = recorded ?? events.append(state: newState, step: step, reason: reason)
        lock.lock()
        let now = Date()
        if newState == .paused, pausedSince == nil { pausedSince = now }
        if newState != .paused, newState != .resuming, let since = pausedSince {
            pausedSeconds += now.timeIntervalSince(since)
            pausedSince = nil
        }
        state = newState
        stateReason = reason
        let targets = Array(clients.values)
        lock.unlock()
        let note = StateChangedParams(name: bundle.name, state: newState, step: step, reason: reason, time: event.time)
        for c in targets { c.notify(StateChangedNotification.self, note) }
    }

    /// Tells clients the guest's SSH started or stopped answering (vm/stateChanged with sshReady).
    func notifySSH(ready: Bool) {
        lock.lock()
        let current = state
        let targets = Array(clients.values)
        lock.unlock()
        let note = StateChangedParams(name: bundle.name, state: current, step: nil, reason: nil,
                                      time: VMEvent.format(Date()), sshReady: ready)
        for c in targets { c.notify(StateChangedNotification.self, note) }
    }

    private func acceptClients(_ listener: Int32) {
        let router = makeRouter()
        let thread = Thread { [self] in
            while let fd = UnixSocket.accept(listener) {
                let connection = Connection(input: fd, output: fd, name: "control", ownsDescriptors: true)
                let key = ObjectIdentifier(connection)
                lock.lock(); clients[key] = connection; lock.unlock()
                connection.start(router: router) { [weak self] _ in
                    guard let self else { return }
                    self.lock.lock()
                    self.clients[key] = nil
                    self.consoleClients.remove(key)
                    self.lock.unlock()
                }
            }
        }
        thread.name = "control-accept"
        thread.start()
    }

    private func installSignalHandlers() {
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                Log.info("signal \(sig): stopping VM '\(self.bundle.name)'")
                Task { _ = try? await self.stop(force: false, timeout: Double(VMStopParams.defaultTimeoutMs) / 1000) }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private var signalSources: [DispatchSourceSignal] = []

    /// Removes the sockets this run made (qemu's too), so a failed or ended start leaves nothing
    /// stale; a file put in their place is left alone.
    private func removeSockets(listening: Bool) {
        if listening { try? SafeFile.remove(bundle.controlSocket, .socket) }
        try? SafeFile.remove(bundle.qmpSocket, .socket)
    }

    /// Lets answers already written reach their readers, then removes the sockets.
    private func finish(listener: Int32) {
        consoleQueue.sync { flushConsole() }
        removeSockets(listening: true)
        shutdown(listener, Int32(SHUT_RDWR))
        Posix.close(listener)
        usleep(200_000)
        lock.lock()
        let targets = Array(clients.values)
        lock.unlock()
        targets.forEach { $0.close() }
    }

    private static func report(_ fd: Int32, status: HostStatus) {
        guard var line = try? JSONCoding.encode(status) else { return }
        line.insert(contentsOf: Array("ok ".utf8), at: 0)
        line.append(0x0A)
        _ = Posix.writeAll(fd, line)
        Posix.close(fd)
    }

    private static func report(_ fd: Int32, error: Error) {
        let rpc = ErrorMapping.rpcError(for: error, method: "vm/start")
        Log.error(rpc.message)
        guard var line = try? JSONCoding.encode(rpc) else { return }
        line.insert(contentsOf: Array("error ".utf8), at: 0)
        line.append(0x0A)
        _ = Posix.writeAll(fd, line)
        Posix.close(fd)
    }
}

