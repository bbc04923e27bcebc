import Foundation

/// What decides whether this host can give a guest Rosetta, nested virtualization or a Mac
/// keyboard. Pure data, so every refusal is tested on any host; `current()` reads the real one.
public struct FeatureHost: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case vz(VZHostFacts)
        /// QEMU: whether KVM works and whether its nested parameter is on, and the CPU flag to pass.
        case qemu(kvm: Bool, kvmNested: Bool, cpuFlag: String?)
    }
    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public static func current() -> FeatureHost {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        return FeatureHost(.vz(VZHostProbe.current()))
        #elseif os(macOS)
        return FeatureHost(.vz(VZHostFacts(macOSMajor: ProcessInfo.processInfo.operatingSystemVersion.majorVersion,
                                           arch: Arch.current.rawValue, chipGeneration: nil, rosetta: .notSupported)))
        #elseif os(Linux)
        let kvm = KVMProbe.run().accelerator == .kvm
        return FeatureHost(.qemu(kvm: kvm, kvmNested: kvm && KVMProbe.nestedEnabled(), cpuFlag: KVMProbe.nestingCPUFlag()))
        #else
        return FeatureHost(.qemu(kvm: false, kvmNested: false, cpuFlag: nil))
        #endif
    }
}

/// The checks `vm/create`, `vm/configure` and a QEMU start make on `rosetta`,
/// `nestedVirtualization` and `keyboard`; each refusal says why and what to do.
public enum GuestFeatures {
    public static let nestedUnderTCG = "Nested virtualization needs KVM with nesting on; this machine runs guests under TCG emulation."

    public static func anySet(_ config: VMConfig) -> Bool {
        config.rosetta || config.nestedVirtualization || config.keyboard != nil
    }

    public static func check(_ config: VMConfig, name: String, host: FeatureHost) throws {
        if config.rosetta { try checkRosetta(config, name: name, host: host) }
        if config.nestedVirtualization { try checkNested(config, name: name, host: host) }
        if let keyboard = config.keyboard { try checkKeyboard(keyboard, config, name: name, host: host) }
    }

    static func checkRosetta(_ config: VMConfig, name: String, host: FeatureHost) throws {
        guard case .vz(let facts) = host.kind else {
            throw HelperError.unsupported("Rosetta is only on Apple silicon Macs, for Linux guests of Virtualization.framework; this Linux host runs guests in QEMU, which cannot offer it. Create the VM without --rosetta.")
        }
        guard config.os == .linux else {
            throw HelperError.unsupported("VM '\(name)' is a macOS guest, which has Rosetta built in; --rosetta is for Linux guests.")
        }
        guard facts.appleSilicon, facts.macOSMajor >= 13, facts.rosetta != .notSupported else {
            throw HelperError.unsupported("Rosetta is only on Apple silicon Macs with macOS 13 or later, and this Mac cannot share it with guests; create the VM without --rosetta.")
        }
        // Not installed yet is fine here: the start says to run 'vmtui rosetta install'.
    }

    static func checkNested(_ config: VMConfig, name: String, host: FeatureHost) throws {
        switch host.kind {
        case .vz(let facts):
            _ = try VZConfigurationPlan.nested(VZGuestOptions(rosetta: false, nestedVirtualization: true),
                                               config: config, host: facts, name: name)
        case let .qemu(kvm, kvmNested, _):
            guard kvm else { throw HelperError.unsupported(nestedUnderTCG) }
            guard kvmNested else {
                throw HelperError.unsupported("Nested virtualization needs KVM with nesting on, and KVM's 'nested' parameter is off on this host; turn it on (e.g. 'modprobe -r kvm_intel && modprobe kvm_intel nested=1', kvm_amd on AMD) and try again.")
            }
        }
    }

    static func checkKeyboard(_ keyboard: KeyboardKind, _ config: VMConfig, name: String, host: FeatureHost) throws {
        guard config.os == .macos else {
            throw HelperError.invalidParams(field: "keyboard", message: "--keyboard is for macOS guests; Linux guest '\(name)' always gets a USB keyboard. Leave the option out.")
        }
        if keyboard == .mac, case .vz(let facts) = host.kind, facts.macOSMajor < 14 {
            throw HelperError.unsupported("A Mac keyboard for a guest needs macOS 14 or later on this Mac, which runs macOS \(facts.macOSMajor); use --keyboard usb.")
        }
    }
}
