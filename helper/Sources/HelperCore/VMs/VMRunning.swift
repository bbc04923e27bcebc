import Foundation

/// Running VMs: start, stop, pause and resume, the console, and what is passed to a VM's host.
extension VMService {
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
            Task { _ = try? await link?.request(VMStopRequest.self, VMStopParams(name: name, force: true, timeoutMs: nil),
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
            let status = try await link.request(VMStopRequest.self, p,
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

    public func pause(_ name: String) async throws -> VMInfo { try await control(VMPauseRequest.self, name) }

    public func resume(_ name: String) async throws -> VMInfo { try await control(VMResumeRequest.self, name) }

    /// Pause or resume: a status query first tells a stuck host apart within seconds; the action
    /// itself may then take QMP's time.
    private func control<M: HostRequestType>(_ type: M.Type, _ name: String) async throws -> VMInfo
    where M.Params == VMNameParams, M.HostResult == HostStatus {
        try await forward(name) { link, bundle, config in
            _ = try await link.request(HostStatusRequest.self, VMNameParams(name: name))
            return VMService.info(bundle, config, status: try await link.request(type, VMNameParams(name: name),
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
    func toHost<M: HostRequestType>(_ name: String, _ type: M.Type, _ params: M.Params) async throws -> M.HostResult {
        try await forward(name) { link, _, _ in try await link.request(type, params) }
    }
}
