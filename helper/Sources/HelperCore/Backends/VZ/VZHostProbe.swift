#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// Reads `VZHostFacts` and the capabilities host/info reports, from the framework. macOS only:
/// on Linux these reach the shim, which traps.
public enum VZHostProbe {
    public static func current() -> VZHostFacts {
        #if os(macOS) || DARWIN_CHECK
        let brand = MacHost.sysctlString("machdep.cpu.brand_string") ?? ""
        #else
        let brand = ""
        #endif
        return VZHostFacts(macOSMajor: ProcessInfo.processInfo.operatingSystemVersion.majorVersion,
                           arch: Arch.current.rawValue,
                           chipGeneration: VZHostFacts.chipGeneration(fromBrand: brand),
                           rosetta: rosetta(),
                           nestedVirtualizationSupported: nestedVirtualizationSupported())
    }

    public static func rosetta() -> RosettaStatus {
        let availability = VZLinuxRosettaDirectoryShare.availability
        if availability == .installed { return .installed }
        if availability == .notInstalled { return .notInstalled }
        return .notSupported
    }

    public static func nestedVirtualizationSupported() -> Bool {
        if #available(macOS 15, *) { return VZGenericPlatformConfiguration.isNestedVirtualizationSupported }
        return false
    }
}

/// The identities a guest keeps across boots, made once and persisted in config.json (base64):
/// restoring saved state, and macOS guests' boot, need the same ones every time.
enum VZGuestIdentity {
    /// A guest without a machine identifier gets a new one at its first start: every Linux guest
    /// once, and a clone of an installed macOS guest (vm/clone keeps the hardware model and drops
    /// the identifier, so that two VMs never share one). A macOS guest with no hardware model has
    /// nothing installed; the plan says so.
    static func ensureMachineIdentifier(_ config: VMConfig, bundle: VMBundle) throws -> VMConfig {
        guard config.machineIdentifier == nil else { return config }
        var updated = config
        switch config.os {
        case .linux:
            updated.machineIdentifier = VZGenericMachineIdentifier().dataRepresentation.base64EncodedString()
        case .macos:
            guard config.hardwareModel != nil else { return config }
            updated.machineIdentifier = VZMacMachineIdentifier().dataRepresentation.base64EncodedString()
        }
        try bundle.saveConfig(updated)
        return updated
    }

    /// A macOS guest gets its hardware model (the restore image's), a new machine identifier and
    /// a fresh auxiliary storage before installation.
    static func createMacIdentity(_ config: VMConfig, bundle: VMBundle, hardwareModel: VZMacHardwareModel) throws -> VMConfig {
        do {
            _ = try VZMacAuxiliaryStorage(creatingStorageAt: bundle.auxStorage, hardwareModel: hardwareModel, options: [.allowOverwrite])
        } catch {
            throw VZErrorMapping.helperError(error, context: VZErrorContext(
                vmName: bundle.name, action: "create the auxiliary storage of", state: "stopped", path: bundle.auxStorage.path))
        }
        var updated = config
        updated.hardwareModel = hardwareModel.dataRepresentation.base64EncodedString()
        updated.machineIdentifier = VZMacMachineIdentifier().dataRepresentation.base64EncodedString()
        try bundle.saveConfig(updated)
        return updated
    }
}
#endif
