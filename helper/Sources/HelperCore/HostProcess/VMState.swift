/// VM states: VZVirtualMachine.State's, plus `installing` and `suspended` (ARCHITECTURE.md), and
/// `notAnswering`: a host holds the VM's lock but missed its deadline (serve's view only).
public enum VMState: String, Codable, Sendable, CaseIterable {
    case stopped, starting, running, pausing, paused, resuming, stopping, saving, restoring, error
    case installing, suspended, notAnswering
}
