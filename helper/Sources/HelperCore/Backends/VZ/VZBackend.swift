#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// Runs one guest with Virtualization.framework (Apple silicon Macs). The VM lives in this
/// process (the per-VM host) and is driven on its own serial queue; the framework runs the guest
/// itself in its `com.apple.Virtualization.VirtualMachine` XPC service.
public final class VZBackend: VMBackend, MainRunLoopBackend, @unchecked Sendable {
    public let accelerator = "vz"
    public let bundle: VMBundle
    public let config: VMConfig
    public let plan: VZConfigurationPlan
    public let host: VZHostFacts

    let machine: VZMachineQueue
    let screenServer = VZScreenServer()
    private let configuration: VZVirtualMachineConfiguration
    private let console: VZConsolePipes
    private let lock = NSLock()
    private var events: BackendEvents?
    private var delegate: VZMachineDelegate?
    private var stateObservation: NSKeyValueObservation?
    private var started = false
    /// The machine's state as last observed (read without touching the VM queue).
    private var lastState: VMState = .stopped
    private var stopReported = false
    private var forceRequested = false
    private var consoleTail: [UInt8] = []
    private var resolver: VZAddressResolver?
    private var address: VZAddressAnswer?
    private var servicePID: Int32?
    private var watcher: DispatchSourceTimer?
    private var watchingSlowly = false

    /// `<bundle>/state.save`: present only while the VM is suspended (ARCHITECTURE.md).
    public var stateFile: URL { bundle.url.appendingPathComponent("state.save") }
    public var vmProcessID: Int32? { lock.locked { servicePID } }
    public var sshAddress: String? { lock.locked { address.map { "\($0.ipAddress):22" } } }
    /// The guest's address, where it came from and when it was read.
    public var guestAddress: VZAddressAnswer? { lock.locked { address } }

    /// Checks the boot files, gives the guest its machine identifier if it has none yet, plans
    /// the devices and validates the configuration; nothing runs yet.
    public init(config: VMConfig, bundle: VMBundle, host: VZHostFacts? = nil) throws {
        let host = host ?? VZHostProbe.current()
        try QEMUBackend.checkBootFiles(config)
        try KernelFormat.checkForVZ(config)
        let config = try VZGuestIdentity.ensureMachineIdentifier(config, bundle: bundle)
        let plan = try VZConfigurationPlan.make(config: config, bundle: bundle, host: host)
        let console = try VZConsolePipes()
        let configuration = try VZConfigurationBuilder.build(plan, bundle: bundle, console: console)
        do { try configuration.validate() } catch {
            throw VZErrorMapping.helperError(error, context: VZErrorContext(
                vmName: bundle.name, action: "configure", state: "stopped", path: bundle.disk.path))
        }
        self.config = config
        self.bundle = bundle
        self.plan = plan
        self.host = host
        self.console = console
        self.configuration = configuration
        machine = VZMachineQueue(label: "vmtui.vz.\(bundle.name)")
        resolver = VZAddressResolver(macAddress: config.macAddress)
    }

    // MARK: VMBackend

    public func start(events: BackendEvents) throws { try start(events: events, from: nil) }

    public func start(events: BackendEvents, restoring state: URL) throws { try start(events: events, from: state) }

    private func start(events: BackendEvents, from state: URL?) throws {
        // A state that would not restore leaves the machine made and stopped: the boot reuses it.
        let made = lock.locked { () -> Bool in defer { self.events = events }; return self.events != nil }
        if !made { try makeMachine(events: events) }
        do {
            if let state {
                try restoreSavedState(state)
            } else {
                try machine.runBlocking { vm, done in vm.start(completionHandler: done) }
            }
        } catch {
            if state == nil { console.closeGuestSide() }
            throw mapped(error, action: state == nil ? "start" : "restore the state of", path: state?.path ?? bundle.disk.path)
        }
        lock.locked { started = true }
        startWatching()
        startScreenServer()
    }

    private func makeMachine(events: BackendEvents) throws {
        if VZKeychainCheck.applies(macOSMajor: host.macOSMajor, environment: ProcessInfo.processInfo.environment),
           let status = VZKeychainCheck.run() {
            if let error = VZKeychainCheck.error(for: status, vmName: bundle.name) { throw error }
            if case .unknown(let words) = status { Log.info("keychain check: \(words)") }
        }
        console.startReader(name: "vz-console") { [weak self] bytes in
            self?.remember(bytes)
            events.backendConsoleOutput(bytes)
        }
        let delegate = VZMachineDelegate { [weak self] error in self?.machineStopped(error) }
        lock.locked { self.delegate = delegate }
        do {
            try machine.create(configuration) { [weak self] vm in
                vm.delegate = delegate
                let observation = vm.observe(\.state, options: [.new]) { vm, _ in
                    self?.stateChanged(rawValue: vm.state.rawValue)
                }
                guard let backend = self else { return observation.invalidate() }
                backend.lock.locked { backend.stateObservation = observation }
            }
        } catch {
            console.closeGuestSide()
            throw mapped(error, action: "start", path: bundle.disk.path)
        }
    }

    public func requestStop() throws {
        do {
            try machine.sync { vm in
                guard vm.canRequestStop else {
                    throw HelperError.invalidState(name: self.bundle.name, state: Self.stateName(vm), action: "ask the guest to stop")
                }
                try vm.requestStop()
            }
        } catch {
            throw mapped(error, action: "ask the guest to stop", path: bundle.disk.path)
        }
    }

    public func forceStop() throws {
        lock.locked { forceRequested = true }
        do {
            try machine.runBlocking { vm, done in
                guard vm.canStop else { return done(.success(())) }  // already stopped
                vm.stop(completionHandler: VZMachineQueue.adapt(done))
            }
        } catch {
            throw mapped(error, action: "stop", path: bundle.disk.path)
        }
        reportStop(.forced)
    }

    public func pause() throws {
        do {
            try machine.runBlocking { (vm, done: @escaping VZMachineQueue.Completion<Void>) in
                guard vm.canPause else {
                    return done(.failure(HelperError.invalidState(name: self.bundle.name, state: Self.stateName(vm), action: "pause")))
                }
                vm.pause(completionHandler: done)
            }
        } catch {
            throw mapped(error, action: "pause", path: bundle.disk.path)
        }
    }

    public func resume() throws {
        do {
            try machine.runBlocking { (vm, done: @escaping VZMachineQueue.Completion<Void>) in
                guard vm.canResume else {
                    return done(.failure(HelperError.invalidState(name: self.bundle.name, state: Self.stateName(vm), action: "resume")))
                }
                vm.resume(completionHandler: done)
            }
        } catch {
            throw mapped(error, action: "resume", path: bundle.disk.path)
        }
    }

    public func writeConsole(_ bytes: [UInt8]) throws {
        guard console.write(bytes) else {
            throw HelperError.invalidState(name: bundle.name, state: "stopped", action: "type on the console of")
        }
    }

    // MARK: Saved state (macOS 14+; suspend and resume, VMHost/HostSuspend.swift)

    /// The config's machine facts and this Mac's macOS version: VZ ties a state to both.
    public func machineFacts() -> [String: String] {
        var facts = SavedState.configFacts(config)
        facts["macOSVersion"] = ProcessInfo.processInfo.operatingSystemVersionString
        return facts
    }

    /// Pauses the guest (VZ saves only from paused) and saves its state into `file`.
    public func saveState(to file: URL, progress: SaveProgress?) throws {
        guard #available(macOS 14, *) else {
            throw HelperError.unsupported("Saving a VM's state needs macOS 14 or later; this Mac runs macOS \(host.macOSMajor).")
        }
        try checkSaveRestoreSupport(action: "save the state of", fix: "stop it instead")
        try SafeFile.remove(file, .file)  // a link put there is refused, not followed by VZ
        if lock.locked({ lastState }) == .running { try pause() }
        do {
            try machine.runBlocking { (vm, done: @escaping VZMachineQueue.Completion<Void>) in
                guard vm.state == .paused else {
                    return done(.failure(HelperError.invalidState(name: self.bundle.name, state: Self.stateName(vm), action: "save the state of")))
                }
                vm.saveMachineStateTo(url: file, completionHandler: VZMachineQueue.adapt(done))
            }
        } catch {
            try? SafeFile.remove(file, .file)
            throw mapped(error, action: "save the state of", path: stateFile.path)
        }
    }

    /// Restores a state into the stopped machine and resumes it; the host removes the file after.
    private func restoreSavedState(_ state: URL) throws {
        guard #available(macOS 14, *) else {
            throw HelperError.unsupported("VM '\(bundle.name)' has a saved state, which needs macOS 14 or later to restore.")
        }
        try checkSaveRestoreSupport(action: "restore the state of", fix: "it boots from its disk instead")
        do {
            try machine.runBlocking { (vm, done: @escaping VZMachineQueue.Completion<Void>) in
                guard vm.state == .stopped else {
                    return done(.failure(HelperError.invalidState(name: self.bundle.name, state: Self.stateName(vm), action: "restore the state of")))
                }
                vm.restoreMachineStateFrom(url: state, completionHandler: VZMachineQueue.adapt(done))
            }
            try machine.runBlocking { vm, done in vm.resume(completionHandler: done) }
        } catch {
            throw mapped(error, action: "restore the state of", path: state.path)
        }
    }

    @available(macOS 14, *)
    private func checkSaveRestoreSupport(action: String, fix: String) throws {
        guard plan.saveRestore else {
            throw HelperError.unsupported("This Mac cannot \(action) VM '\(bundle.name)': saving and restoring needs macOS 14 or later on Apple silicon; \(fix).")
        }
        do { try configuration.validateSaveRestoreSupport() } catch {
            let detail = VZErrorMapping.sentence(error as NSError)
            throw HelperError.unsupported("Cannot \(action) VM '\(bundle.name)': one of its devices cannot be saved and restored (\(detail)); \(fix).")
        }
    }

    // MARK: Events from the framework (on the VM queue)

    private func stateChanged(rawValue: Int) {
        guard let state = VZStateMapping.vmState(rawValue: rawValue) else { return }
        let (events, started, forced) = lock.locked { () -> (BackendEvents?, Bool, Bool) in
            lastState = state
            return (self.events, self.started, self.forceRequested)
        }
        switch state {
        case .running, .paused:
            events?.backendStateChanged(state)
        case .stopped where started:
            reportStop(forced ? .forced : .guestShutdown)
        case .error where started:
            // The delegate's didStopWithError says why; wait for it before saying less.
            machine.queue.asyncAfter(deadline: .now() + 2) { [weak self] in
                guard let self else { return }
                self.reportStop(.failed("Virtualization.framework put VM '\(self.bundle.name)' into its error state without saying why. \(self.consoleLines())"))
            }
        default:
            break
        }
    }

    private func machineStopped(_ error: Error?) {
        guard let error else {
            return reportStop(lock.locked { forceRequested } ? .forced : .guestShutdown)
        }
        let helper = mapped(error, action: "run", path: bundle.disk.path)
        reportStop(.failed("VM '\(bundle.name)' stopped on an error: \(helper.message) \(consoleLines())"))
    }

    private func reportStop(_ how: BackendStop) {
        let (events, observation) = lock.locked { () -> (BackendEvents?, NSKeyValueObservation?) in
            guard !stopReported else { return (nil, nil) }
            stopReported = true
            watcher?.cancel()
            watcher = nil
            return (self.events, stateObservation)
        }
        guard let events else { return }
        observation?.invalidate()
        screenServer.stop()
        console.closeGuestSide()
        events.backendDidStop(how)
    }

    // MARK: Address and process, watched while the guest runs

    private func startWatching() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 3)
        timer.setEventHandler { [weak self] in self?.refreshWatchedFacts() }
        lock.locked { watcher = timer }
        timer.resume()
    }

    private func refreshWatchedFacts() {
        var pid = lock.locked { servicePID }
        if let known = pid, kill(known, 0) != 0 && errno == ESRCH { pid = nil }
        if pid == nil { pid = VZProcessSampling.vmProcessID(disk: bundle.disk) }
        guard var resolver = lock.locked({ self.resolver }) else {
            lock.locked { servicePID = pid }
            return
        }
        let leases = try? String(contentsOfFile: DHCPLeases.path, encoding: .utf8)
        let resolution = resolver.resolve(now: Date(), leases: leases, arp: Self.arpTable)
        let settle = lock.locked { () -> DispatchSourceTimer? in
            servicePID = pid
            self.resolver = resolver
            address = resolution.answer
            guard !watchingSlowly, address != nil, pid != nil else { return nil }
            watchingSlowly = true
            return watcher
        }
        // Both found: from now on, look every 30 s for a changed lease or a restarted service.
        settle?.schedule(deadline: .now() + 30, repeating: 30)
    }

    /// `arp -an` (numeric: no DNS lookups); nil when it cannot run.
    static func arpTable() -> String? {
        guard let run = ToolOutput.run("/usr/sbin/arp", ["-an"]), run.status == 0 else { return nil }
        return run.text
    }

    // MARK: Helpers

    private func mapped(_ error: Error, action: String, path: String) -> HelperError {
        var context = VZErrorContext(vmName: bundle.name, action: action, state: currentStateName(), path: path)
        if VZErrorMapping.isVZError(error, code: VZErrorMapping.virtualMachineLimitExceeded) {
            let home = bundle.url.deletingLastPathComponent().deletingLastPathComponent()
            context.runningMacOSVMs = VZMacOSSlots.running(VZMacOSSlots.scan(home: home))
        }
        return VZErrorMapping.helperError(error, context: context)
    }

    private func currentStateName() -> String {
        lock.locked { lastState.rawValue }
    }

    static func stateName(_ vm: VZVirtualMachine) -> String {
        VZStateMapping.vmState(rawValue: vm.state.rawValue)?.rawValue ?? "in an unknown state"
    }

    private func remember(_ bytes: [UInt8]) {
        lock.locked {
            consoleTail.append(contentsOf: bytes)
            if consoleTail.count > 4096 { consoleTail.removeFirst(consoleTail.count - 4096) }
        }
    }

    private func consoleLines() -> String {
        let text = String(decoding: lock.locked { consoleTail }, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
        return lines.isEmpty ? "" : "Last console lines: \(lines)"
    }
}
#endif
