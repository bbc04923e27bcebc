import Foundation

/// The VM methods of a serve session: the bundle store for stopped VMs, and links to the per-VM
/// hosts of running ones. Notifications from hosts are forwarded to the client through `notify`.
public final class VMService: @unchecked Sendable {
    public let store: BundleStore
    let lock = NSLock()
    var links: [String: HostLink] = [:]
    /// Parsed configs and newest events while their files are unchanged (vm/list, vm/get).
    private let listMemo = ListMemo()
    var notifyClient: (@Sendable (String, JSONValue) -> Void)?
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

    /// A stopped VM whose files are unchanged costs a lock probe and four lstat calls (ListMemo).
    private func local(_ name: String) throws -> Local {
        let paths = try listMemo.paths(name, in: store)
        switch HostLock.probe(path: paths.files.lock) {
        case .held(let pid):
            let bundle = try store.existing(name)
            return .ask(bundle, try listMemo.config(bundle), pid: pid)
        case .free:
            return .answered(try listMemo.stoppedInfo(paths) {
                // The kept paths, not URLs: serve makes this answer for every VM as it starts.
                let files = paths.files, bundle = paths.bundle
                guard FileOps.isDirectory(files.root) else { throw HelperError.notFound(what: "VM", name: name) }
                var info = VMService.info(bundle, try listMemo.config(paths), status: nil,
                                          diskAllocated: FileOps.allocatedBytes(path: files.disk))
                if FileOps.isRegularFile(files.savedState) {
                    info.state = .suspended
                    info.stateReason = SavedState.suspendedReason(bundle)
                } else if let last = listMemo.lastEvent(paths), last.state == .error || last.state == .stopped {
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

    /// Fills vm/list's memo for every stopped VM now, off the call path: serve does it as it starts,
    /// while its client is still loading, so the first vm/list costs what a later one does. Last
    /// name first: a vm/list that comes meanwhile goes first name first, and the two meet halfway
    /// instead of making the same answers side by side.
    public func warmListMemo() {
        for name in store.names().reversed() {
            if case .answered(let info)? = try? local(name) { _ = try? listMemo.json(of: info) }
        }
    }

    /// vm/list's answer as JSON, each VM's part encoded only when it changed (ListMemo.json).
    public func listJSON() async throws -> JSONValue {
        let result = await list()
        listMemo.keepJSON(only: Set(result.vms.map(\.name)))
        return .object(["vms": .array(try result.vms.map { try listMemo.json(of: $0) }),
                        "problems": try JSONValue(encoding: result.problems)])
    }

    static func info(_ bundle: VMBundle, _ c: VMConfig, status reported: HostStatus?, diskAllocated: UInt64? = nil) -> VMInfo {
        // A host that has just stopped its guest still answers for a moment; its pids are gone.
        let status = reported?.state == .stopped ? nil : reported
        return withAccess(VMInfo(name: bundle.name, state: status?.state ?? .stopped, stateReason: status?.stateReason,
               os: c.os, arch: c.arch, cpuCount: c.cpuCount, memoryBytes: c.memoryBytes, diskBytes: c.diskBytes,
               diskAllocatedBytes: diskAllocated ?? FileOps.allocatedBytes(bundle.disk), macAddress: c.macAddress, boot: c.boot,
               createdAt: c.createdAt, hostPid: status?.hostPid, vmPid: status?.vmPid,
               accelerator: status?.accelerator, sshAddress: status?.sshAddress, startedAt: status?.startedAt,
               address: status?.address, display: c.display), c, status: status).featuring(c)
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
        if let vnc = p.vnc { config.vncServer = vnc }
        config.provision = provision
        try VMService.applyFeatures(p, to: &config, host: FeatureHost.current)
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
        try VMService.refuseMachineChangeWhileSuspended(p, bundle)
        var config = try bundle.loadConfig()
        let l = try limits(store)
        if let cpu = p.cpuCount { try l.checkCPU(cpu); config.cpuCount = cpu }
        if let memory = p.memoryBytes { try l.checkMemory(memory); config.memoryBytes = memory }
        if let disk = p.diskBytes, disk != config.diskBytes {
            guard disk > config.diskBytes else {
                throw HelperError.invalidParams(field: "diskBytes",
                    message: "Disks can only grow: VM '\(p.name)' has \(config.diskBytes) bytes (\(ByteText.of(config.diskBytes))) and \(disk) is smaller; give a larger size.")
            }
            try l.checkDisk(disk, growth: disk - config.diskBytes, sparseOvercommit: p.sparseOvercommit ?? false)
        }
        if p.detachISO == true, case .efi = config.boot { config.boot = .efi(iso: nil) }
        if p.display != nil || p.noDisplay != nil {
            config.display = try VMService.display(p.display, off: p.noDisplay, otherwise: config.display)
        }
        if let vnc = p.vnc { config.vncServer = vnc }
        try applyAccessChanges(p, to: &config)
        try VMService.applyFeatures(p, to: &config, host: FeatureHost.current)
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

    func forward<R>(_ name: String, _ body: (HostLink, VMBundle, VMConfig) async throws -> R) async throws -> R {
        let bundle = try store.existing(name)
        let config = try bundle.loadConfig()
        guard case .held = HostLock.probe(bundle.lock) else { throw VMService.notRunning(bundle, action: "do that to") }
        return try await body(try link(name), bundle, config)
    }

    static func notRunning(_ bundle: VMBundle, action: String) -> HelperError {
        let state = EventLog(url: bundle.events).last?.state == .error ? "in error (not running)" : "stopped"
        return HelperError.invalidState(name: bundle.name, state: state, action: action)
    }

    func requireStopped(_ bundle: VMBundle, action: String) throws {
        if case .held = HostLock.probe(bundle.lock) {
            throw HelperError.invalidState(name: bundle.name, state: "running", action: action)
        }
    }
}
