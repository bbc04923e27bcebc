import Foundation

/// Where vmtui keeps its VMs: $VMTUI_HOME, or ~/.vmtui. Resolving the path creates nothing.
public enum VMTUIHome {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        guard var path = environment["VMTUI_HOME"], !path.isEmpty else {
            return (home as NSString).appendingPathComponent(".vmtui")
        }
        if path == "~" {
            path = home
        } else if path.hasPrefix("~/") {
            path = (home as NSString).appendingPathComponent(String(path.dropFirst(2)))
        }
        if !path.hasPrefix("/") {
            path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }
        return (path as NSString).standardizingPath
    }
}
