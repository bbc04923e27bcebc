#if !os(macOS) || arch(arm64)
import Foundation

/// `vmtui-helper host <bundle> --install`: the per-VM host runs VZMacOSInstaller instead of
/// booting, so an install outlives the terminal like a running VM does. The host reports the
/// state "installing" and `vm/installProgress`; the stop ladder cancels the installer.
public final class VZInstallBackend: VMBackend, MainRunLoopBackend, @unchecked Sendable {
    public let accelerator = "vz"
    public let activeState: VMState = .installing
    public var vmProcessID: Int32? { nil }
    public var sshAddress: String? { nil }

    private let installer: VZMacInstaller
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var cancelled = false

    public init(config: VMConfig, bundle: VMBundle) throws {
        guard config.os == .macos else {
            throw HelperError.invalidParams(field: "name", message: "VM '\(bundle.name)' is not a macOS VM, so there is no macOS to install into it.")
        }
        guard let ipsw = config.ipsw else {
            throw HelperError.invalidParams(field: "name", message: "VM '\(bundle.name)' was not created from a restore image; create it with an IPSW ('vmtui create NAME --ipsw PATH') to install macOS.")
        }
        let events = EventsBox()
        installer = VZMacInstaller(bundle: bundle, restoreImage: URL(fileURLWithPath: ipsw)) { phase, fraction in
            events.value?.backendProgress(phase: phase.rawValue, fraction: fraction)
        }
        self.events = events
    }

    private let events: EventsBox

    public func start(events: BackendEvents) throws {
        self.events.value = events
        let run = Task { [installer] in
            do {
                // The host already holds the bundle's lock for the whole install.
                try await installer.install()
                events.backendDidStop(.guestShutdown)
            } catch {
                let wasCancelled = self.lock.locked { self.cancelled }
                if wasCancelled { events.backendDidStop(.forced); return }
                events.backendDidStop(.failed((error as? HelperError)?.message ?? "\(error)"))
            }
        }
        lock.locked { task = run }
    }

    public func requestStop() throws { try forceStop() }

    public func forceStop() throws {
        let run = lock.locked { () -> Task<Void, Never>? in cancelled = true; return task }
        installer.cancel()
        run?.cancel()
    }

    public func pause() throws {
        throw HelperError.unsupported("An installation cannot be paused; stop it (it starts over from the restore image) or let it finish.")
    }

    public func resume() throws { try pause() }

    public func writeConsole(_ bytes: [UInt8]) throws {
        throw HelperError.unsupported("A macOS installation has no console to type into; wait for it to finish, then start the VM.")
    }
}

/// Lets the progress closure, made before `start`, reach the events sink given to `start`.
private final class EventsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: BackendEvents?
    var value: BackendEvents? {
        get { lock.locked { events } }
        set { lock.locked { events = newValue } }
    }
}
#endif
