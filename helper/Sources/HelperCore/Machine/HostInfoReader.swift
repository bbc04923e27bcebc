import Foundation

/// Reads `host/info` from the machine at the time of the call.
public enum HostInfoReader {
    public static func read(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HostInfo {
        let home = VMTUIHome.path(environment: environment)
        #if os(Linux) && !DARWIN_CHECK
        return try LinuxHost.read(home: home)
        #elseif os(macOS) || DARWIN_CHECK
        return try MacHost.read(home: home)
        #else
        throw HelperError.unsupported("vmtui-helper runs on Linux and macOS only.")
        #endif
    }
}
