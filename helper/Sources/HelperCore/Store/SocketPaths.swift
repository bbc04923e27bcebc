import Foundation
import SystemCalls

/// Unix socket paths are limited (103 bytes on macOS, 107 on Linux), and a bundle's sockets live
/// under VMTUI_HOME: a deep home or a long name would make a VM that can never start. Checked when
/// a bundle gets its name (create, rename, clone), so the user hears it at once.
extension VMBundle {
    /// The sockets a bundle may hold, longest name first.
    public static let socketNames = ["control.sock", "qmp.sock"]

    public func checkSocketPaths(limit: Int = SocketCalls.unixPathLimit) throws {
        for socket in Self.socketNames {
            let path = url.appendingPathComponent(socket).path
            let length = path.utf8.count
            guard length <= limit else {
                let over = length - limit
                throw HelperError.unsupported("The VM's socket \(path) would be \(length) bytes long, and this system allows \(limit) bytes for a unix socket path. Use a name \(over) characters shorter, or a shorter VMTUI_HOME (for example ~/.vmtui).")
            }
        }
    }
}
