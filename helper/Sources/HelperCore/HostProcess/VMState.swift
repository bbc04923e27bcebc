/// VM states: VZVirtualMachine.State's, plus `installing` and `suspended` (ARCHITECTURE.md).
public enum VMState: String, Codable, Sendable, CaseIterable {
    case stopped, starting, running, pausing, paused, resuming, stopping, saving, restoring, error
    case installing, suspended
}
