import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Suspend and resume on QEMU: migration into a file vmtui opened, and `-incoming` from it.
extension QEMUBackend {
    /// Enough for a slow disk: a minute, plus a second for every 20 MB of guest memory.
    var stateDeadline: TimeInterval { 60 + Double(launch.config.memoryBytes) / 20_000_000 }

    /// The config's machine facts, QEMU's version, the accelerator, the firmware and the command
    /// line (without the host-side network, whose ports may change while the VM is suspended).
    public func machineFacts() -> [String: String] {
        var facts = SavedState.configFacts(launch.config)
        facts["qemuVersion"] = Self.version(of: launch.executable) ?? "unknown"
        facts["accelerator"] = accelerator
        if let fw = launch.firmware { facts["firmware"] = "\(fw.code) \(FileOps.logicalSize(URL(fileURLWithPath: fw.code)))" }
        var args = (try? launch.arguments()) ?? []
        if let i = args.firstIndex(of: "-netdev"), i + 1 < args.count { args.remove(at: i + 1) }
        facts["qemuCommandLine"] = args.joined(separator: " ")
        return facts
    }

    public func saveState(to file: URL, progress: SaveProgress?) throws {
        // QEMU 10 migrates a vhost-user-fs device without virtiofsd's FUSE state (and 9p only
        // refuses while mounted): a resumed guest's mounts would fail, so shares are refused here.
        if !launch.config.shares.isEmpty {
            let name = launch.bundle.name
            throw HelperError.unsupported("VM '\(name)' has shared folders, whose state QEMU cannot save with the machine (a resumed guest's mounts would fail). Stop it instead, or remove the shares while it is stopped ('vmtui configure \(name) --unshare TAG').")
        }
        try SafeFile.remove(file, .file)
        let fd = try SafeFile.createNew(file)
        defer { close(fd) }
        // A test knob: a slow save, so a test can kill the host in the middle of one.
        let bandwidth = ProcessInfo.processInfo.environment["VMTUI_SAVE_MAX_BANDWIDTH"].flatMap(UInt64.init) ?? (8 << 30)
        try QEMUStateTransfer.save(try qmpClient(), into: fd, deadline: Date().addingTimeInterval(stateDeadline),
                                   maxBandwidth: bandwidth, progress: progress)
        guard fsync(fd) == 0 else { throw HelperError.fromErrno(errno, path: file.path, action: "write") }
    }

    public func start(events: BackendEvents, restoring state: URL) throws {
        let fd = open(state.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: state.path, action: "read") }
        defer { close(fd) }
        try run(events: events, extraArguments: ["-S", "-incoming", "defer"])
        do {
            try QEMUStateTransfer.restore(try qmpClient(), from: fd, deadline: Date().addingTimeInterval(stateDeadline))
        } catch {
            abandonRun()
            // QEMU ends itself when a state does not load; its own words are in qemu.log.
            let said = qemuLogTail().split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            let why = (error as? HelperError)?.message ?? "\(error)"
            throw HelperError.backend(said.isEmpty ? why : "\(why) \(said)")
        }
    }

    /// Ends a qemu that was given a state it could not load, without reporting a stop: the host
    /// boots the guest next.
    func abandonRun() {
        let p = lock.locked { () -> Process? in
            abandonedRuns.insert(runGeneration)
            return process
        }
        try? qmpClient().close()
        virtiofsd.stopAll()
        guard let p else { return }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(20_000) }
    }

    /// `qemu-system-… --version`'s first line, e.g. "QEMU emulator version 10.0.13 (Debian …)".
    static func version(of executable: String) -> String? {
        guard let path = findExecutable(executable), let run = ToolOutput.run(path, ["--version"]) else { return nil }
        return run.text.split(whereSeparator: \.isNewline).first.map(String.init)
    }
}
