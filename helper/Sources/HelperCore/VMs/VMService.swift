import Foundation

/// The VM methods of a serve session: the bundle store for stopped VMs, and links to the per-VM
/// hosts of running ones. Notifications from hosts are forwarded to the client through `notify`.
public final class VMService: @unchecked Sendable {
    public let store: BundleStore
    private let lock = NSLock()
    private var links: [String: HostLink] = [:]
    /// Parsed configs and newest events while their files are unchanged (vm/list, vm/get).
    private let listMemo = ListMemo()
    private var notifyClient: (@Sendable (String, JSONValue) -> Void)?
    private let limits: @Sendable (BundleStore) throws -> VMLimits

    public init(store: BundleStore, limits: (@Sendable (BundleStore) throws -> VMLimits)? = nil) {
        self.store = store
        self.limits = limits ?? { store in
            let info = try HostInfoReader.read()
            return VMLimits(hostCores: info.cpuCores, hostMemoryBytes: info.memoryBytes,
                            freeDiskBytes: FileOps.freeBytes(at: store.home))
        }
        store.cleanLeftovers()
    }

    /// Where host notifications (vm/stateChanged, console/data) go: the serve's client connection.
    public func setNotifier(_ notify: @escaping @Sendable (String, JSONValue) -> Void) {
        lock.lock(); notifyClient = notify; lock.unlock()
    }

    // MARK: Queries

    public func info(_ name: String) async throws -> VMInfo {
        switch try local(name) {
        case .answered(let info): return info
        case .ask(let bundle, let config, let pid): return await ask(name, bundle, config, pid: pid)
        }
    }

    /// What is known of a VM without its host: a stopped VM's whole answer, or what asking its host needs.
    private enum Local { case answered(VMInfo), ask(VMBundle, VMConfig, pid: Int32) }

    /// A stopped VM whose files are unchanged costs a lock probe and three lstat calls (ListMemo).
    private func local(_ name: String) throws -> Local {
        let paths = try listMemo.paths(name, in: store)
        switch HostLock.probe(path: paths.lock) {
        case .held(let pid):
            let bundle = try store.existing(name)
            return .ask(bundle, try listMemo.config(bundle), pid: pid)
        case .free:
            return .answered(try listMemo.stoppedInfo(paths) {
                let bundle = try store.existing(name)
                var info = VMService.info(bundle, try listMemo.config(bundle), status: nil)
                if let last = listMemo.lastEvent(bundle), last.state == .error || last.state == .stopped {
                    if last.state == .error { info.state = .error }
                    info.stateReason = last.reason  // why it failed, or "the guest powered off"
                }
                return info
            })
        }
    }

    private func ask(_ name: String, _ bundle: VMBundle, _ config: VMConfig, pid: Int32) async -> VMInfo {
        do {
            let status = try await link(name).request(HostStatusRequest.self, VMNameParams(name: name))
            return VMService.info(bundle, config, status: status)
        } catch {
            return VMService.unanswered(bundle, config, pid: pid, error: error)
        }
    }

    /// A VM whose lock is held but whose host did not answer: still starting (a young host, or a
    /// clone holding the lock), or `notAnswering` (PROTOCOL.md, "Deadlines").
    static func unanswered(_ bundle: VMBundle, _ config: VMConfig, pid: Int32, error: Error) -> VMInfo {
        var info = VMService.info(bundle, config, status: nil)
        info.hostPid = pid
        // A host makes its socket within moments of taking the lock; until then (at most the 90 s a
        // start may take) it is starting, not stuck.
        var entry = stat()
        let noSocketYet = lstat(bundle.controlSocket.path, &entry) != 0 && errno == ENOENT
        let starting = noSocketYet && (ProcessAge.seconds(pid).map { $0 < 90 } ?? false)
        if StuckHost.isHost(pid, of: bundle) == false || starting {
            info.state = .starting
            info.stateReason = "Its lock is held by pid \(pid), which does not answer yet."
            return info
        }
        info.state = .notAnswering
        let why = (error as? HelperError)?.message ?? "\(error)"
        info.stateReason = "not answering (pid \(pid)): \(why)"
        if case .hostNotAnswering(_, _, let reason)? = error as? HelperError {
            info.stateReason = "not answering (pid \(pid)): \(reason) End it with 'vmtui stop \(bundle.name) --force'."
        }
        return info
    }

    /// Every VM: stopped ones answered here in one pass, running ones' hosts asked at once, so
    /// a host that does not answer costs its own deadline only.
    public func list() async -> VMListResult {
        let names = store.names()
        var outcomes = [(Int, Result<VMInfo, Error>)]()
        var running = [(Int, VMBundle, VMConfig, Int32)]()
        for (index, name) in names.enumerated() {
            do {
                switch try local(name) {
                case .answered(let info): outcomes.append((index, .success(info)))
                case .ask(let bundle, let config, let pid): running.append((index, bundle, config, pid))
                }
            } catch {
                outcomes.append((index, .failure(error)))
            }
        }
        if !running.isEmpty {
            outcomes += await withTaskGroup(of: (Int, Result<VMInfo, Error>).self) { group in
                for (index, bundle, config, pid) in running {
                    group.addTask { (index, .success(await self.ask(names[index], bundle, config, pid: pid))) }
                }
                var all = [(Int, Result<VMInfo, Error>)]()
                for await outcome in group { all.append(outcome) }
                return all
            }
            outcomes.sort { $0.0 < $1.0 }
        }
        var vms: [VMInfo] = []
        var problems: [VMProblem] = []
        for (index, outcome) in outcomes {
            switch outcome {
            case .success(let vm): vms.append(vm)
            case .failure(let error):
                problems.append(VMProblem(name: names[index], message: (error as? HelperError)?.message ?? "\(error)"))
            }
        }
        listMemo.keep(onlyNames: Set(names))
        return VMListResult(vms: vms, problems: problems)
    }

    /// vm/list's answer as JSON, each VM's part encoded only when it changed (ListMemo.json).
    public func listJSON() async throws -> JSONValue {
        let result = await list()
        listMemo.keepJSON(only: Set(result.vms.map(\.name)))
        return .object(["vms": .array(try result.vms.map { try listMemo.json(of: $0) }),
                        "problems": try JSONValue(encoding: result.problems)])
    }

    static func info(_ bundle: VMBundle, _ c: VMConfig, status reported: HostStatus?) -> VMInfo {
        // A host that has just stopped its guest still answers for a moment; its pids are gone.
        let status = reported?.state == .stopped ? nil : reported
        return withAccess(VMInfo(name: bundle.name, state: status?.state ?? .stopped, stateReason: status?.stateReason,
               os: c.os, arch: c.arch, cpuCount: c.cpuCount, memoryBytes: c.memoryBytes, diskBytes: c.diskBytes,
               diskAllocatedBytes: FileOps.allocatedBytes(bundle.disk), macAddress: c.macAddress, boot: c.boot,
               createdAt: c.createdAt, hostPid: status?.hostPid, vmPid: status?.vmPid,
               accelerator: status?.accelerator, sshAddress: status?.sshAddress, startedAt: status?.startedAt,
               address: status?.address, display: c.display), c, status: status)
    }

    // MARK: Changes to stopped VMs

    /// `importer` carries an image's progress and cancel (the router's); without one an image is
    /// imported silently.
    public func create(_ p: VMCreateParams) throws -> VMInfo { try create(p, importer: nil) }

    func create(_ p: VMCreateParams, importer given: ImageImport?) throws -> VMInfo {
        try VMName.validate(p.name)
        let os = p.os ?? .linux
        if os == .macos && HelperBuild.backend != .vz {
            throw HelperError.unsupported("macOS guests need Virtualization.framework on an Apple silicon Mac; this host runs QEMU.")
        }
        let ipsw = try VMService.restoreImage(p, os: os)
        let l = try limits(store)
        let cpu = p.cpuCount ?? min(2, l.hostCores)
        let memory = p.memoryBytes ?? min(2 << 30, l.hostMemoryBytes / 2)
        try l.checkCPU(cpu)
        try l.checkMemory(memory)
        let boot = try VMService.absolutePaths(try VMService.boot(p, os: os))
        let provision = try Provisioning.make(p)
        // Said before a long download or import, not after.
        if try store.exists(p.name) { throw HelperError.alreadyExists(what: "VM", name: p.name) }
        let importer = p.image == nil ? nil : given ?? ImageImport(params: p, home: store.home)
        let image = try importer?.resolve()
        let disk = try VMService.diskSize(p, image: image)
        try l.checkDisk(disk, growth: try image?.dataBytes() ?? disk, sparseOvercommit: p.sparseOvercommit ?? false)
        var config = VMConfig(os: os, arch: Arch.current.rawValue, cpuCount: cpu, memoryBytes: memory, diskBytes: disk,
                              macAddress: MACAddress.randomLocallyAdministered(), boot: boot,
                              createdAt: VMEvent.format(Date()))
        config.ipsw = ipsw
        config.display = try VMService.display(p.display, off: p.noDisplay, otherwise: config.display)
        config.provision = provision
        try QEMUBackend.checkBootFiles(config)
        try assignSSHPort(&config, name: p.name)
        if let forwards = p.forwards, !forwards.isEmpty {
            try checkForwards(forwards, fresh: forwards, sshPort: config.sshPort, name: p.name)
            config.forwards = forwards
        }
        config.schemaVersion = VMConfig.currentSchema
        // QEMU's UEFI guests keep their boot entries in a per-VM store, made with the bundle so
        // missing firmware is said now and snapshots of a never-started VM hold it too.
        var firmware: UEFIFirmware?
        if case .efi = boot, HelperBuild.backend == .qemu { firmware = try UEFIFirmware.locate(arch: config.arch) }
        let makeDisk: ((URL) throws -> Void)? = image.map { image in { url in try importer!.write(image, to: url, size: disk) } }
        let bundle = try store.create(name: p.name, config: config, makeDisk: makeDisk) { folder in
            try firmware?.makeVariableStore(at: folder.appendingPathComponent(VMBundle.efiVarsFile))
            try VMBundle(name: p.name, url: folder).writeSeed(config)
        }
        return VMService.info(bundle, config, status: nil)
    }

    public func delete(_ name: String) throws {
        let bundle = try store.existing(name)
        try requireStopped(bundle, action: "delete")
        try store.delete(name: name)
    }

    public func rename(_ p: VMRenameParams) throws -> VMInfo {
        let bundle = try store.existing(p.name)
        try requireStopped(bundle, action: "rename")
        try store.rename(from: p.name, to: p.newName)
        let renamed = try store.existing(p.newName)
        return VMService.info(renamed, try renamed.loadConfig(), status: nil)
    }

    public func configure(_ p: VMConfigureParams) throws -> VMInfo {
        let bundle = try store.existing(p.name)
        try requireStopped(bundle, action: "reconfigure")
        var config = try bundle.loadConfig()
        let l = try limits(store)
        if let cpu = p.cpuCount { try l.checkCPU(cpu); config.cpuCount = cpu }
        if let memory = p.memoryBytes { try l.checkMemory(memory); config.memoryBytes = memory }
        if let disk = p.diskBytes, disk != config.diskBytes {
            guard disk > config.diskBytes else {
                throw HelperError.invalidParams(field: "diskBytes",
                    message: "Disks can only grow: VM '\(p.name)' has \(config.diskBytes) bytes and \(disk) is smaller.")
            }
            try l.checkDisk(disk, growth: disk - config.diskBytes, sparseOvercommit: p.sparseOvercommit ?? false)
        }
        if p.detachISO == true, case .efi = config.boot { config.boot = .efi(iso: nil) }
        if p.display != nil || p.noDisplay != nil {
            config.display = try VMService.display(p.display, off: p.noDisplay, otherwise: config.display)
        }
        try applyAccessChanges(p, to: &config)
        config.boot = try VMService.changedKernel(p, config.boot)
        // Grow the disk first: a config that claims more than the file would be wrong; the reverse is harmless.
        if let disk = p.diskBytes, disk > config.diskBytes {
            try FileOps.grow(bundle.disk, to: disk)
            config.diskBytes = disk
        }
        try bundle.saveConfig(config)
        return VMService.info(bundle, config, status: nil)
    }

    static func display(_ asked: DisplaySize?, off: Bool?, otherwise: DisplaySize?) throws -> DisplaySize? {
        if off == true { return nil }
        guard let asked else { return otherwise }
        try asked.validate()
        return asked
    }

    // MARK: Running VMs

    public func start(_ name: String) async throws -> VMInfo {
        let bundle = try store.existing(name)
        if case .held(let pid) = HostLock.probe(bundle.lock) { throw HelperError.alreadyRunning(name: name, pid: pid) }
        var config = try bundle.loadConfig()
        try QEMUBackend.checkBootFiles(config)
        if config.sshPort == nil {
            try assignSSHPort(&config, name: name)
            try bundle.saveConfig(config)
        }
        try LoopbackPorts.checkAvailable(vm: name, sshPort: HelperBuild.backend == .qemu ? config.sshPort : nil, forwards: config.forwards)
        try StartChecks.verify(bundle, config)
        try bundle.writeSeed(config)
        let status: HostStatus
        do { status = try HostLauncher.start(bundle) } catch {
            // A host that failed is on its way out; answer once it has let go of the VM.
            VMService.waitForLockRelease(bundle)
            throw error
        }
        _ = try? link(name)
        // The host's first states came before any link could hear them: tell them from its log
        // before the answer (a change also seen by the store watcher is sent once).
        for event in EventLog(url: bundle.events).recent(8) where event.time >= status.startedAt {
            let change = StateChangedParams(name: name, state: event.state, step: event.step, reason: event.reason, time: event.time)
            if let params = try? JSONValue(encoding: change) { forwardToClient(StateChangedNotification.method, params) }
        }
        return VMService.info(bundle, config, status: status)
    }

    /// Installs macOS from the VM's restore image in a per-VM host (so it outlives the client) and
    /// answers when the host has finished. Cancelling stops the host, which cancels the installer.
    public func install(_ name: String) async throws {
        let bundle = try store.existing(name)
        guard HelperBuild.backend == .vz else {
            throw HelperError.unsupported("Installing macOS needs Virtualization.framework on an Apple silicon Mac; this host runs QEMU. Linux guests install from an ISO: 'vmtui create NAME --iso PATH'.")
        }
        try requireStopped(bundle, action: "install macOS into")
        let config = try bundle.loadConfig()
        guard config.os == .macos, config.ipsw != nil else {
            throw HelperError.invalidParams(field: "name", message: "VM '\(name)' was not created from a macOS restore image, so there is nothing to install; create one with 'vmtui create NAME --ipsw PATH'.")
        }
        _ = try HostLauncher.start(bundle, mode: .install)
        let link = try? link(name)
        await withTaskCancellationHandler {
            while HostLock.probe(bundle.lock) != .free && !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
            }
        } onCancel: {
            Task { _ = try? await link?.request("vm/stop", VMStopParams(name: name, force: true, timeoutMs: nil), as: HostStatus.self,
                                                timeout: HostDeadline.stop(timeoutMs: nil, force: true)) }
        }
        if Task.isCancelled {
            VMService.waitForLockRelease(bundle)
            throw HelperError.cancelled("Installing macOS into VM '\(name)' (run 'vmtui install \(name)' to start it again)")
        }
        if let last = EventLog(url: bundle.events).last, last.state == .error {
            throw HelperError.backend(last.reason ?? "The macOS installation in VM '\(name)' failed; see \(bundle.hostLog.path).")
        }
    }

    /// Where to reach a running guest: its own address where the backend knows one, and SSH.
    public func ip(_ name: String) async throws -> VMIPResult {
        let vm = try await info(name)
        guard vm.hostPid != nil, vm.state != .stopped else {
            throw HelperError.invalidState(name: name, state: vm.state.rawValue, action: "find the address of")
        }
        if let address = vm.address { return VMIPResult(address: address, sshAddress: vm.sshAddress, note: nil) }
        let note: String
        if HelperBuild.backend == .qemu, let ssh = vm.sshAddress {
            note = "QEMU's user-mode network hides the guest's own address; SSH reaches it at \(ssh) (ssh -p \(ssh.split(separator: ":").last ?? "22") USER@127.0.0.1)."
        } else {
            note = "VM '\(name)' has no address yet: neither the DHCP leases nor the ARP table know its MAC address \(vm.macAddress). A guest that is still booting gets one within a minute; wait with 'vmtui ip \(name) --wait'."
        }
        return VMIPResult(address: nil, sshAddress: vm.sshAddress, note: note)
    }

    /// The host's stop ladder, within its deadline. A host that does not answer is told apart at
    /// once (a status query first): `stop` says so, `stop --force` ends it (StuckHost).
    public func stop(_ p: VMStopParams) async throws -> VMInfo {
        let bundle = try store.existing(p.name)
        let config = try bundle.loadConfig()
        guard case .held(let pid) = HostLock.probe(bundle.lock) else { throw VMService.notRunning(bundle, action: "stop") }
        let force = p.force ?? false
        do {
            let link = try link(p.name)
            _ = try await link.request(HostStatusRequest.self, VMNameParams(name: p.name))
            let status = try await link.request("vm/stop", p, as: HostStatus.self,
                                                timeout: HostDeadline.stop(timeoutMs: p.timeoutMs, force: force))
            // The host frees its lock before it answers; allow for a slow exit all the same.
            VMService.waitForLockRelease(bundle)
            return VMService.info(bundle, config, status: status)
        } catch HelperError.hostNotAnswering(_, _, let reason) {
            guard force else { throw HelperError.hostNotAnswering(name: p.name, pid: pid, reason: reason) }
            dropLink(p.name)
            let why = "'vmtui stop --force' ended the host process (pid \(pid)) and its guest because it was not answering: \(reason)"
            try await runOnOwnThread { try StuckHost.end(bundle, pid: pid, why: why) }
            var info = VMService.info(bundle, config, status: nil)
            info.stateReason = why
            let note = StateChangedParams(name: p.name, state: .stopped, step: "killedHost", reason: why, time: VMEvent.format(Date()))
            if let params = try? JSONValue(encoding: note) { forwardToClient(StateChangedNotification.method, params) }
            return info
        }
    }

    public func pause(_ name: String) async throws -> VMInfo { try await control("vm/pause", name) }

    public func resume(_ name: String) async throws -> VMInfo { try await control("vm/resume", name) }

    /// Pause or resume: a status query first tells a stuck host apart within seconds; the action
    /// itself may then take QMP's time.
    private func control(_ method: String, _ name: String) async throws -> VMInfo {
        try await forward(name) { link, bundle, config in
            _ = try await link.request(HostStatusRequest.self, VMNameParams(name: name))
            return VMService.info(bundle, config, status: try await link.request(method, VMNameParams(name: name), as: HostStatus.self,
                                                                                 timeout: HostDeadline.control))
        }
    }

    public func consoleAttach(_ name: String) async throws -> ConsoleAttachResult {
        try await forward(name) { link, _, _ in try await link.request(ConsoleAttachRequest.self, VMNameParams(name: name)) }
    }

    public func consoleWrite(_ p: ConsoleWriteParams) async throws {
        _ = try await forward(p.name) { link, _, _ in try await link.request(ConsoleWriteRequest.self, p) }
    }

    public func consoleDetach(_ name: String) async throws {
        _ = try await forward(name) { link, _, _ in try await link.request(ConsoleDetachRequest.self, VMNameParams(name: name)) }
    }

    /// A request answered by the VM's running host as it is (the screen methods).
    func toHost<M: RPCRequestType>(_ name: String, _ type: M.Type, _ params: M.Params) async throws -> M.Result {
        try await forward(name) { link, _, _ in try await link.request(type, params) }
    }

    // MARK: Internals

    private func forward<R>(_ name: String, _ body: (HostLink, VMBundle, VMConfig) async throws -> R) async throws -> R {
        let bundle = try store.existing(name)
        let config = try bundle.loadConfig()
        guard case .held = HostLock.probe(bundle.lock) else { throw VMService.notRunning(bundle, action: "do that to") }
        return try await body(try link(name), bundle, config)
    }

    private static func notRunning(_ bundle: VMBundle, action: String) -> HelperError {
        let state = EventLog(url: bundle.events).last?.state == .error ? "in error (not running)" : "stopped"
        return HelperError.invalidState(name: bundle.name, state: state, action: action)
    }

    private func requireStopped(_ bundle: VMBundle, action: String) throws {
        if case .held = HostLock.probe(bundle.lock) {
            throw HelperError.invalidState(name: bundle.name, state: "running", action: action)
        }
    }

    /// The link to the running host, made on first use and remade when a new host holds the lock
    /// (a VM stopped and started again); dropped when its host goes away.
    func link(_ name: String) throws -> HostLink {
        let bundle = try store.bundle(name)
        guard case .held(let pid) = HostLock.probe(bundle.lock) else {
            throw HelperError.invalidState(name: name, state: "stopped", action: "reach")
        }
        lock.lock()
        if let existing = links[name], existing.hostPid == pid, existing.isOpen { lock.unlock(); return existing }
        let stale = links.removeValue(forKey: name)
        lock.unlock()
        stale?.close()
        let made = try HostLink(bundle: bundle, hostPid: pid, forward: { [weak self] method, params in
            self?.forwardToClient(method, params)
        }, onClose: { [weak self] in
            self?.hostGone(name, bundle: bundle, pid: pid)
        })
        lock.lock()
        defer { lock.unlock() }
        if let raced = links[name], raced.hostPid == pid, raced.isOpen { made.close(); return raced }
        links[name] = made
        return made
    }

    /// Forgets the link to a host about to be ended, so its closing reports nothing.
    private func dropLink(_ name: String) {
        let gone = lock.locked { links.removeValue(forKey: name) }
        gone?.close()
    }

    /// Whether an open link reaches this host (the store watcher links to hosts that appear).
    func isLinked(_ name: String, hostPid: Int32) -> Bool {
        lock.locked { links[name].map { $0.hostPid == hostPid && $0.isOpen } ?? false }
    }

    private func forwardToClient(_ method: String, _ params: JSONValue) {
        lock.lock()
        let notify = notifyClient
        lock.unlock()
        notify?(method, params)
    }

    /// A host closed its socket: it has exited. Tell the client the state it left behind.
    private func hostGone(_ name: String, bundle: VMBundle, pid: Int32) {
        lock.lock()
        let current = links[name]?.hostPid == pid
        if current { links[name] = nil }
        lock.unlock()
        // A link replaced by a newer host's (or closed by us) has nothing to report.
        guard current else { return }
        VMService.waitForLockRelease(bundle)
        let last = EventLog(url: bundle.events).last
        let state: VMState = last?.state == .error ? .error : .stopped
        // A host killed before it recorded its end: the stop happened now, not at its last record.
        let recorded = last?.state == state
        let note = StateChangedParams(name: name, state: state, step: nil, reason: recorded ? last?.reason : nil,
                                      time: recorded ? last!.time : VMEvent.format(Date()))
        if let params = try? JSONValue(encoding: note) { forwardToClient(StateChangedNotification.method, params) }
    }

    /// A host that has stopped its guest releases the lock within moments; wait up to 3 s.
    static func waitForLockRelease(_ bundle: VMBundle) {
        let deadline = Date().addingTimeInterval(3)
        while HostLock.probe(bundle.lock) != .free && Date() < deadline { usleep(30_000) }
    }

    /// `vm/configure`'s kernel, initrd and cmdline, for kernel-boot VMs; paths made absolute and
    /// checked (by checkBootFiles at the next start, and here at once).
    static func changedKernel(_ p: VMConfigureParams, _ boot: BootConfig) throws -> BootConfig {
        guard p.kernel != nil || p.initrd != nil || p.cmdline != nil else { return boot }
        guard case let .kernel(kernel, initrd, cmdline) = boot else {
            let field = p.kernel != nil ? "kernel" : p.initrd != nil ? "initrd" : "cmdline"
            throw HelperError.invalidParams(field: field, message: "VM '\(p.name)' boots with EFI from its disk or an ISO, not from a kernel, so it has no kernel, initrd or command line to change.")
        }
        func file(_ path: String, _ what: String, _ field: String) throws -> String {
            guard !path.isEmpty else { throw HelperError.invalidParams(field: field, message: "'\(field)' must name a file.") }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            guard FileOps.isRegularFile(absolute) else { throw HelperError.missingFile(what: what, path: absolute) }
            return absolute
        }
        let newKernel = try p.kernel.map { try file($0, "kernel", "kernel") } ?? kernel
        // An empty initrd removes it.
        let newInitrd = try p.initrd.map { $0.isEmpty ? nil : try file($0, "initrd", "initrd") } ?? initrd
        return .kernel(kernel: newKernel, initrd: newInitrd, cmdline: p.cmdline ?? cmdline)
    }

    /// The boot section: given, or for a VM made from an image, EFI from its own disk (so the
    /// guest's own kernel runs, and its upgrades take effect).
    static func boot(_ p: VMCreateParams, os: GuestOS) throws -> BootConfig {
        if p.image != nil {
            guard os == .linux else {
                throw HelperError.invalidParams(field: "image", message: "Disk images make Linux VMs; a macOS VM is made from a restore image ('ipsw').")
            }
            return p.boot ?? .efi(iso: nil)
        }
        guard let boot = p.boot else {
            throw HelperError.invalidParams(field: "boot", message: "A VM needs a way to boot: give 'boot' (a kernel, an ISO, or macOS) or an 'image' to make its disk from.")
        }
        return boot
    }

    /// The disk: as asked, else 16 GiB, or for an image its own size; an image never shrinks.
    static func diskSize(_ p: VMCreateParams, image: DiskImage?) throws -> UInt64 {
        guard let image else { return p.diskBytes ?? (16 << 30) }
        let asked = p.diskBytes ?? image.virtualSize
        guard asked >= image.virtualSize else {
            throw HelperError.invalidParams(field: "diskBytes", message: "The image \(image.path) holds a \(image.virtualSize)-byte disk, so the VM's disk cannot be \(asked) bytes; give a size of at least \(image.virtualSize) bytes (\(ByteText.of(image.virtualSize))), or leave the size out to keep the image's.")
        }
        return asked
    }

    /// A macOS VM is made from a local restore image; anything else takes none.
    static func restoreImage(_ p: VMCreateParams, os: GuestOS) throws -> String? {
        guard os == .macos else {
            if p.ipsw != nil {
                throw HelperError.invalidParams(field: "ipsw", message: "A restore image (ipsw) is for macOS guests only; drop it, or create the VM with os 'macos'.")
            }
            return nil
        }
        guard case .macOS? = p.boot else {
            throw HelperError.invalidParams(field: "boot", message: "macOS guests boot from their own disk; give boot kind 'macos'.")
        }
        guard let path = p.ipsw, !path.isEmpty else {
            throw HelperError.invalidParams(field: "ipsw", message: "A macOS VM is created from a restore image; give the path of a local .ipsw file (download one with 'vmtui ipsw download').")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileOps.isRegularFile(absolute) else { throw HelperError.missingFile(what: "restore image", path: absolute) }
        return absolute
    }

    static func absolutePaths(_ boot: BootConfig) throws -> BootConfig {
        func abs(_ path: String, _ field: String) throws -> String {
            guard !path.isEmpty else { throw HelperError.invalidParams(field: field, message: "'\(field)' must name a file.") }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        switch boot {
        case let .kernel(kernel, initrd, cmdline):
            return .kernel(kernel: try abs(kernel, "boot.kernel"), initrd: try initrd.map { try abs($0, "boot.initrd") }, cmdline: cmdline)
        case let .efi(iso):
            return .efi(iso: try iso.map { try abs($0, "boot.iso") })
        case .macOS:
            return .macOS
        }
    }
}
