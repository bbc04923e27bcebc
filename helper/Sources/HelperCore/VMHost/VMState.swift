/// VM states: VZVirtualMachine.State's, plus `installing`, `suspended` and `restarting` (ARCHITECTURE.md),
/// and `notAnswering`: a host holds the VM's lock but missed its deadline (serve's view only).
public enum VMState: String, Codable, Sendable, CaseIterable {
    case stopped, starting, running, pausing, paused, resuming, stopping, saving, restoring, error
    case installing, suspended, notAnswering
    /// The guest rebooted itself: the machine reset and is booting again (the host stays).
    case restarting
}
