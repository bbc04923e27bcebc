import Foundation

/// The serve side of suspend and resume (PROTOCOL.md "Suspend and resume"). Resuming is `start`:
/// the host finds the saved state (HostSuspend.swift).
extension VMService {
    public func suspend(_ name: String) async throws -> VMInfo {
        let bundle = try store.existing(name)
        let config = try bundle.loadConfig()
        guard case .held = HostLock.probe(bundle.lock) else {
            if SavedState.isPresent(bundle) {
                throw HelperError.invalidState(name: name, state: "suspended", action: "suspend")
            }
            throw VMService.notRunning(bundle, action: "suspend")
        }
        let link = try link(name)
        _ = try await link.request(HostStatusRequest.self, VMNameParams(name: name))
        _ = try await link.request(VMSuspendRequest.self, VMNameParams(name: name),
                                   timeout: HostDeadline.suspend(memoryBytes: config.memoryBytes))
        VMService.waitForLockRelease(bundle)
        return try await info(name)
    }

    /// vm/get: the VM, with a set-aside state's sentence while its file is kept.
    public func details(_ name: String) async throws -> VMInfo {
        var vm = try await info(name)
        vm.savedStateNote = SavedState.discardedNote(try store.existing(name))
        return vm
    }

    /// A suspended VM's state needs the machine it was saved on: changes to that machine are
    /// refused (ports and forwards are the host's side and may change).
    static func refuseMachineChangeWhileSuspended(_ p: VMConfigureParams, _ bundle: VMBundle) throws {
        guard SavedState.isPresent(bundle) else { return }
        let asked: [(String, Bool)] = [
            ("cpuCount", p.cpuCount != nil), ("memoryBytes", p.memoryBytes != nil), ("diskBytes", p.diskBytes != nil),
            ("detachISO", p.detachISO == true), ("display", p.display != nil || p.noDisplay != nil),
            ("kernel", p.kernel != nil), ("initrd", p.initrd != nil), ("cmdline", p.cmdline != nil),
            ("shares", p.addShares != nil || p.removeShares != nil), ("rosetta", p.rosetta != nil),
            ("nestedVirtualization", p.nestedVirtualization != nil), ("keyboard", p.keyboard != nil),
        ]
        guard let field = asked.first(where: { $0.1 })?.0 else { return }
        throw HelperError.invalidParams(field: field, message: "VM '\(p.name)' is suspended, and its saved memory state resumes only on the machine it was saved on, so its \(SavedState.labels[field] ?? field) cannot change now. Resume it with 'vmtui start \(p.name)', shut it down, then configure it.")
    }
}
