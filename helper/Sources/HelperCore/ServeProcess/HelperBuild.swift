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

    /// Saving a running VM's state (suspend): VZ's saveMachineStateTo needs macOS 14; QEMU saves by
    /// migration into a file when it is installed (a VM whose devices block migration is refused
    /// with QEMU's reason when it is suspended).
    public static var saveRestoreSupported: Bool {
        #if os(macOS) || DARWIN_CHECK
        return ProcessInfo.processInfo.isOperatingSystemAtLeast(OperatingSystemVersion(majorVersion: 14, minorVersion: 0, patchVersion: 0))
        #else
        return QEMUBackend.findExecutable(Arch.current == .arm64 ? "qemu-system-aarch64" : "qemu-system-x86_64") != nil
        #endif
    }
}
