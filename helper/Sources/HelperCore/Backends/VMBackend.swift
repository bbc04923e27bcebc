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
    /// The guest's own address, where the backend can learn it (VZ: DHCP leases, ARP).
    var addressInfo: GuestAddressInfo? { get }
}

extension VMBackend {
    public var activeState: VMState { .running }
    public var addressInfo: GuestAddressInfo? { nil }
}
