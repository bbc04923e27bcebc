import Foundation

/// What this helper build is and speaks.
public enum HelperBuild {
    public static let version = "0.1.0"
    public static let protocolVersion = 1

    public static var platform: Platform {
        #if os(macOS) || DARWIN_CHECK
        return .macos
        #else
        return .linux
        #endif
    }

    public static var backend: BackendKind {
        #if os(macOS) || DARWIN_CHECK
        return .vz
        #else
        return .qemu
        #endif
    }

    /// Saving a running VM's state: VZ's saveMachineStateTo needs macOS 14; the QEMU backend does not offer it.
    public static var saveRestoreSupported: Bool {
        #if os(macOS) || DARWIN_CHECK
        return ProcessInfo.processInfo.isOperatingSystemAtLeast(OperatingSystemVersion(majorVersion: 14, minorVersion: 0, patchVersion: 0))
        #else
        return false
        #endif
    }
}
