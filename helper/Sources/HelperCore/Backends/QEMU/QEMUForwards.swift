import Foundation

/// QEMU user-network forwards: the SSH forward and the VM's own, at start (`-netdev user,hostfwd=`)
/// and while running (human monitor `hostfwd_add` / `hostfwd_remove` through QMP).
public enum QEMUForwards {
    public static let netdevID = "net0"

    /// The `-netdev` value: SSH on 127.0.0.1:sshPort → 22, then each forward.
    public static func netdev(sshPort: Int, forwards: [PortForward]) -> String {
        var parts = ["user", "id=\(netdevID)", "hostfwd=tcp:127.0.0.1:\(sshPort)-:22"]
        parts += forwards.map { "hostfwd=\(rule($0))" }
        return parts.joined(separator: ",")
    }

    /// `tcp:127.0.0.1:8080-:80`
    public static func rule(_ f: PortForward) -> String {
        "\(f.proto.rawValue):\(f.hostAddress):\(f.hostPort)-:\(f.guestPort)"
    }

    public static func addCommand(_ f: PortForward) -> String { "hostfwd_add \(netdevID) \(rule(f))" }

    public static func removeCommand(_ f: PortForward) -> String {
        "hostfwd_remove \(netdevID) \(f.proto.rawValue):\(f.hostAddress):\(f.hostPort)"
    }

    /// The monitor answers with an empty string on success and with words on failure; a removal
    /// says "host forwarding rule for … removed" when it worked.
    public static func failure(of command: String, output: String) -> String? {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        if command.hasPrefix("hostfwd_remove"), text.contains("removed"), !text.contains("not found") { return nil }
        return text
    }
}

/// A backend that can change its port forwards while the guest runs.
public protocol LiveForwarding: AnyObject {
    func addForward(_ forward: PortForward) throws
    func removeForward(_ forward: PortForward) throws
}

extension QEMUBackend: LiveForwarding {
    public func addForward(_ forward: PortForward) throws { try monitor(QEMUForwards.addCommand(forward), forward) }
    public func removeForward(_ forward: PortForward) throws { try monitor(QEMUForwards.removeCommand(forward), forward) }

    private func monitor(_ command: String, _ forward: PortForward) throws {
        let reply = try qmpClient().execute("human-monitor-command", arguments: ["command-line": .string(command)])
        var output = ""
        if case .string(let s) = reply { output = s }
        if let problem = QEMUForwards.failure(of: command, output: output) {
            throw HelperError.backend("QEMU could not change the forward \(forward.described): \(problem). Check that the host port is free ('ss -ltnp') and try again.")
        }
    }
}
