import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one guest in qemu-system-* and supervises it over QMP (Linux hosts).
public final class QEMUBackend: VMBackend, @unchecked Sendable {
    public let launch: QEMULaunch
    public var accelerator: String { launch.accelerator }
    public var sshAddress: String? { "127.0.0.1:\(launch.sshPort)" }
    public var vmProcessID: Int32? {
        lock.lock(); defer { lock.unlock() }
        return process?.processIdentifier
    }

    let lock = NSLock()
    private(set) var process: Process?
    private var stdinHandle: FileHandle?
    private var qmp: QMPClient?
    /// Each qemu run; a run given up on (a state that would not load) reports no end.
    var runGeneration = 0
    var abandonedRuns: Set<Int> = []
    private var forceRequested = false
    private var consoleTail: [UInt8] = []
    let virtiofsd = VirtiofsdSupervisor()
    private var qemuLog: URL { launch.bundle.url.appendingPathComponent("qemu.log") }
    let screenLink = RFBLink()

    /// Prepares the launch: accelerator, the VM's SSH port (a free one for configs without one),
    /// firmware and the EFI variable store.
    public init(config: VMConfig, bundle: VMBundle, accelerator: String? = nil,
                featureHost: FeatureHost? = nil) throws {
        try QEMUBackend.checkBootFiles(config)
        try ShareRules.checkStillThere(config.shares, vmName: bundle.name)
        // config.json may have been edited, or the VM moved to a host without KVM.
        var nestingFlag: String?
        if GuestFeatures.anySet(config) {
            let host = featureHost ?? FeatureHost.current()
            try GuestFeatures.check(config, name: bundle.name, host: host)
            if config.nestedVirtualization, case .qemu(_, _, let flag) = host.kind { nestingFlag = flag }
        }
        var firmware: UEFIFirmware?
        if case .efi = config.boot {
            let fw = try UEFIFirmware.locate(arch: config.arch)
            firmware = fw
            // vm/create makes it; bundles from before that (or a deleted store) get one here.
            if !FileManager.default.fileExists(atPath: bundle.efiVars.path) {
                try fw.makeVariableStore(at: bundle.efiVars)
            }
        }
        launch = QEMULaunch(config: config, bundle: bundle,
                            accelerator: accelerator ?? QEMUBackend.probeAccelerator(),
                            sshPort: try config.sshPort.map { UInt16($0) } ?? QEMUBackend.freeLoopbackPort(), firmware: firmware,
                            shareTransport: QEMUShareTransport.pick(), nestingCPUFlag: nestingFlag)
        if !config.shares.isEmpty, launch.shareTransport == .ninep { Log.info(QEMUShareTransport.ninepNote) }
    }

    static func probeAccelerator() -> String {
        #if os(Linux) && !DARWIN_CHECK
        return KVMProbe.run().accelerator.rawValue
        #else
        return "tcg"
        #endif
    }

    /// Kernel, initrd and ISO must exist before qemu is asked to open them.
    public static func checkBootFiles(_ config: VMConfig) throws {
        var files: [(String, String)] = []
        switch config.boot {
        case let .kernel(kernel, initrd, _):
            files.append(("kernel", kernel))
            if let initrd { files.append(("initrd", initrd)) }
        case let .efi(iso):
            if let iso { files.append(("ISO image", iso)) }
        case .macOS:
            break
        }
        for (what, path) in files where !FileOps.isRegularFile(path) {
            throw HelperError.missingFile(what: what, path: path)
        }
    }

    public static func findExecutable(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A process of `executable` that dies with this host: wrapped in `setpriv --pdeathsig KILL`
    /// where setpriv exists, so a killed host never leaves a guest or a virtiofsd unsupervised.
    /// Returns the process and the arguments it runs with (setpriv's first, where it wraps).
    static func supervisedProcess(_ executable: String, _ arguments: [String], in folder: URL) -> (Process, [String]) {
        let process = Process()
        var argv = arguments
        if let setpriv = findExecutable("setpriv") {
            process.executableURL = URL(fileURLWithPath: setpriv)
            argv = ["--pdeathsig", "KILL", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
        }
        process.arguments = argv
        process.currentDirectoryURL = folder
        return (process, argv)
    }

    public func start(events: BackendEvents) throws { try run(events: events, extraArguments: []) }

    /// Starts qemu with the launch's arguments plus `extraArguments` (`-S -incoming defer` to
    /// restore a state) and connects QMP.
    func run(events: BackendEvents, extraArguments: [String]) throws {
        guard let qemu = Self.findExecutable(launch.executable) else {
            throw HelperError.unsupported("\(launch.executable) was not found on PATH; install QEMU (Debian: qemu-system-x86 or qemu-system-arm).")
        }
        if case .virtiofs(let path) = launch.shareTransport, !launch.config.shares.isEmpty {
            try virtiofsd.start(launch.config.shares, virtiofsd: path, bundle: launch.bundle)
        }
        let (process, arguments) = Self.supervisedProcess(qemu, try launch.arguments() + extraArguments, in: launch.bundle.url)
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        // A socket left by an earlier run would look ready; anything else there is refused.
        try SafeFile.remove(launch.bundle.qmpSocket, .socket)
        process.standardError = FileHandle(fileDescriptor: try SafeFile.openForWriting(qemuLog, flags: O_WRONLY | O_TRUNC),
                                           closeOnDealloc: true)
        let generation = lock.locked { () -> Int in runGeneration += 1; return runGeneration }
        process.terminationHandler = { [weak self] p in
            guard let self, !self.lock.locked({ self.abandonedRuns.contains(generation) }) else { return }
            self.processEnded(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal, events: events)
        }
        // The exact argv as JSON, so the command can be rerun by hand (and by the boot benchmark).
        let argv = [process.executableURL!.path] + arguments
        Log.info("starting qemu: \(String(decoding: (try? JSONCoding.encode(argv)) ?? Data(), as: UTF8.self))")
        do { try process.run() } catch {
            virtiofsd.stopAll()
            throw HelperError.backend("QEMU could not be started: \(error.localizedDescription)")
        }
        lock.lock()
        self.process = process
        stdinHandle = input.fileHandleForWriting
        lock.unlock()
        startConsoleReader(output.fileHandleForReading.fileDescriptor, events: events)

        // qemu that refuses its arguments (a bad kernel, say) exits at once: say so without waiting.
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && !FileManager.default.fileExists(atPath: launch.bundle.qmpSocket.path) && Date() < deadline {
            usleep(20_000)
        }
        if !process.isRunning {
            process.waitUntilExit()
            virtiofsd.stopAll()
            throw HelperError.backend("QEMU exited as it started (status \(process.terminationStatus)). \(qemuLogTail())"
                .trimmingCharacters(in: .whitespaces))
        }
        SafeFile.restrictSocket(launch.bundle.qmpSocket)
        do {
            let client = try QMPClient(path: launch.bundle.qmpSocket.path, timeout: 5)
            client.onEvent = { event, _ in
                if event == "STOP" { events.backendStateChanged(.paused) }
                if event == "RESUME" { events.backendStateChanged(.running) }
                if event == "RESET" { events.backendStateChanged(.restarting) }
            }
            lock.lock(); qmp = client; lock.unlock()
        } catch {
            lock.lock(); forceRequested = true; lock.unlock()
            process.terminate()
            throw HelperError.backend("QEMU started but its control socket did not answer. \(qemuLogTail())")
        }
    }

    public func requestStop() throws { try qmpClient().execute("system_powerdown") }

    public func forceStop() throws {
        lock.lock()
        forceRequested = true
        let p = process
        lock.unlock()
        if (try? qmpClient().execute("quit", timeout: 5)) == nil, let p, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
        }
    }

    public func pause() throws { try qmpClient().execute("stop") }
    public func resume() throws { try qmpClient().execute("cont") }

    public func writeConsole(_ bytes: [UInt8]) throws {
        lock.lock()
        let handle = stdinHandle
        lock.unlock()
        guard let handle, Posix.writeAll(handle.fileDescriptor, Data(bytes)) == 0 else {
            throw HelperError.invalidState(name: launch.bundle.name, state: "stopped", action: "type on the console of")
        }
    }

    func qmpForScreen() throws -> QMPClient { try qmpClient() }

    func qmpClient() throws -> QMPClient {
        lock.lock(); defer { lock.unlock() }
        guard let qmp else { throw HelperError.invalidState(name: launch.bundle.name, state: "starting", action: "control") }
        return qmp
    }

    private func startConsoleReader(_ fd: Int32, events: BackendEvents) {
        let thread = Thread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
                if n <= 0 { break }
                let bytes = Array(buffer[0..<n])
                self?.remember(bytes)
                events.backendConsoleOutput(bytes)
            }
        }
        thread.name = "qemu-console"
        thread.start()
    }

    private func remember(_ bytes: [UInt8]) {
        lock.lock()
        consoleTail.append(contentsOf: bytes)
        if consoleTail.count > 4096 { consoleTail.removeFirst(consoleTail.count - 4096) }
        lock.unlock()
    }

    private func processEnded(status: Int32, signaled: Bool, events: BackendEvents) {
        lock.lock()
        let forced = forceRequested
        qmp?.close()
        lock.unlock()
        virtiofsd.stopAll()
        if forced {
            events.backendDidStop(.forced)
        } else if !signaled && status == 0 {
            events.backendDidStop(.guestShutdown)
        } else {
            let how = signaled ? "was killed by signal \(status)" : "exited with status \(status)"
            events.backendDidStop(.failed("QEMU \(how). \(qemuLogTail())\(consoleLines())"))
        }
    }

    func qemuLogTail() -> String {
        let text = String(decoding: ConsoleLog.readTail(qemuLog, maxBytes: 600), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : "QEMU said: \(text) "
    }

    private func consoleLines() -> String {
        lock.lock()
        let text = String(decoding: consoleTail, as: UTF8.self)
        lock.unlock()
        let lines = text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
        return lines.isEmpty ? "" : "Last console lines: \(lines)"
    }

    static func freeLoopbackPort() throws -> UInt16 {
        let fd = SocketCalls.tcp()
        guard fd >= 0 else { throw HelperError.backend("Could not open a socket to find a free port.") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else { throw HelperError.backend("Could not find a free loopback port for the guest's SSH forward.") }
        return UInt16(bigEndian: addr.sin_port)
    }
}
