import Foundation

/// How a running guest ended, as its backend saw it.
public enum BackendStop: Equatable, Sendable {
    /// The guest powered itself off (after the power button, or on its own).
    case guestShutdown
    /// vmtui quit the hypervisor (the last step of the stop ladder).
    case forced
    /// The hypervisor died or failed; the reason is a sentence for the user.
    case failed(String)
}

/// What a backend reports while a guest runs. Called from backend threads.
public protocol BackendEvents: AnyObject, Sendable {
    func backendConsoleOutput(_ bytes: [UInt8])
    func backendStateChanged(_ state: VMState)
    func backendDidStop(_ how: BackendStop)
    /// Progress of a long backend job (a macOS install): a phase word and 0 … 1.
    func backendProgress(phase: String, fraction: Double)
}

/// One running guest on one hypervisor (ARCHITECTURE.md, "Backends"). A per-VM host owns exactly
/// one. Calls block until the hypervisor has acted; they throw `HelperError`.
public protocol VMBackend: AnyObject, Sendable {
    /// "kvm", "tcg" or "vz".
    var accelerator: String { get }
    /// The process whose CPU and memory are the VM's (qemu; the Virtualization XPC service on macOS).
    var vmProcessID: Int32? { get }
    /// Where to reach the guest's SSH, e.g. "127.0.0.1:40022", once known.
    var sshAddress: String? { get }
    /// The guest's own address where the backend knows it, with its source (BackendAddress.swift).
    var reportedGuestAddress: GuestAddress? { get }

    func start(events: BackendEvents) throws
    /// The polite request: ACPI power button / requestStop().
    func requestStop() throws
    /// The hard stop: quit the hypervisor.
    func forceStop() throws
    func pause() throws
    func resume() throws
    func writeConsole(_ bytes: [UInt8]) throws
    /// The state the host reports once `start` returns: "running", or "installing" for an installer.
    var activeState: VMState { get }

    // Saved state (suspend and resume; VMHost/SavedState.swift).
    /// What a saved state of this machine depends on; compared with the record before a resume.
    func machineFacts() -> [String: String]
    /// Pauses the guest and writes its state into `file` (made by the backend through SafeFile).
    /// On failure the guest is left paused and the caller resumes it.
    func saveState(to file: URL, progress: SaveProgress?) throws
    /// Starts the machine from a saved state instead of booting it; on failure nothing runs and
    /// nothing was reported to `events`, so the caller may boot it with `start(events:)`.
    func start(events: BackendEvents, restoring state: URL) throws
}

extension VMBackend {
    public var activeState: VMState { .running }
    public func machineFacts() -> [String: String] { [:] }
    public func saveState(to file: URL, progress: SaveProgress?) throws {
        throw HelperError.unsupported("This backend cannot save a VM's state; stop the VM instead.")
    }
    public func start(events: BackendEvents, restoring state: URL) throws {
        throw HelperError.unsupported("This backend cannot restore a saved state.")
    }
}
