import Foundation

/// The backend a per-VM host runs: Virtualization.framework on Apple silicon Macs, QEMU on Linux.
public enum BackendFactory {
    /// The hypervisor for this platform: Virtualization.framework on Apple silicon Macs, QEMU on Linux.
    public static func backend(_ config: VMConfig, _ bundle: VMBundle) throws -> VMBackend {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        if let problem = VZEntitlement.problem { throw HelperError.unsupported(problem) }
        return try VZBackend(config: config, bundle: bundle)
        #elseif os(macOS)
        throw HelperError.unsupported("vmtui runs VMs with Virtualization.framework on Apple silicon Macs only; this Mac has an Intel processor.")
        #else
        return try QEMUBackend(config: config, bundle: bundle)
        #endif
    }

    /// The installer host for `vm/install`: macOS guests on Virtualization.framework only.
    public static func installer(_ config: VMConfig, _ bundle: VMBundle) throws -> VMBackend {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        if let problem = VZEntitlement.problem { throw HelperError.unsupported(problem) }
        return try VZInstallBackend(config: config, bundle: bundle)
        #else
        throw HelperError.unsupported("Installing macOS needs Virtualization.framework on an Apple silicon Mac; this host cannot.")
        #endif
    }
}
