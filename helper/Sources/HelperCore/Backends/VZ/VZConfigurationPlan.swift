import Foundation

/// The device set of one VZ guest, decided from its config.json and the host, with no
/// Virtualization.framework types in it: `VZConfigurationBuilder` turns it into a
/// VZVirtualMachineConfiguration on the Mac; tests check every decision here on any host.
public struct VZConfigurationPlan: Equatable, Sendable {
    public enum BootLoader: Equatable, Sendable {
        case linuxKernel(kernel: String, initrd: String?, commandLine: String)
        /// The variable store is created on first boot when the file is missing.
        case efi(variableStore: String)
        case macOS
    }

    public enum Platform: Equatable, Sendable {
        /// `machineIdentifier` nil: the guest has none yet; the backend makes one and persists it
        /// (restoring saved state needs the same one).
        case generic(machineIdentifier: Data?, nestedVirtualization: Bool)
        case mac(hardwareModel: Data, machineIdentifier: Data, auxiliaryStorage: String)
    }

    public enum DiskCaching: Equatable, Sendable {
        case automatic
        /// Linux guests: a peer saw file-system corruption with the default.
        case cached
    }

    public enum StorageBus: Equatable, Sendable {
        case virtioBlock
        /// An installer ISO (macOS 13): read-only USB mass storage.
        case usbMassStorage
    }

    public struct Disk: Equatable, Sendable {
        public var path: String
        public var readOnly: Bool
        public var caching: DiskCaching
        public var bus: StorageBus
    }

    public enum Keyboard: Equatable, Sendable { case mac, usb }
    public enum PointingDevice: Equatable, Sendable { case trackpad, usbScreenCoordinate }

    public enum Graphics: Equatable, Sendable {
        case mac(widthInPixels: Int, heightInPixels: Int, pixelsPerInch: Int)
        case virtio(widthInPixels: Int, heightInPixels: Int)
    }

    public struct SharedDirectory: Equatable, Sendable {
        /// The folder's name in the guest (macOS guests) or its tag (Linux guests).
        public var name: String
        public var path: String
        public var readOnly: Bool
    }

    public struct Share: Equatable, Sendable {
        public enum Tag: Equatable, Sendable {
            case named(String)
            /// `VZVirtioFileSystemDeviceConfiguration.macOSGuestAutomountTag`: mounted by macOS guests
            /// at /Volumes/My Shared Files, one folder per directory.
            case macOSAutomount
        }
        public var tag: Tag
        public var directories: [SharedDirectory]
    }

    public var cpuCount: Int
    public var memoryBytes: UInt64
    public var bootLoader: BootLoader
    public var platform: Platform
    /// The bundle's disk first (macOS guests boot from the first storage device), then any ISO.
    public var disks: [Disk]
    /// NAT with this MAC address (config.json's, so DHCP leases and saved state stay valid).
    public var macAddress: String
    public var entropy: Bool
    public var memoryBalloon: Bool
    public var keyboard: Keyboard
    public var pointingDevice: PointingDevice
    /// Always present: peers keep a graphics device even headless, and macOS guests need one.
    public var graphics: Graphics
    public var shares: [Share]
    /// The virtiofs tag of the Rosetta share, when the guest gets one.
    public var rosettaTag: String?
    /// The host can save and restore this guest's state (macOS 14+); the configuration must still
    /// pass validateSaveRestoreSupport().
    public var saveRestore: Bool

    public static let rosettaTag = "rosetta"
    public static let maximumTagBytes = 35
    public static let macDisplay = Graphics.mac(widthInPixels: 1920, heightInPixels: 1200, pixelsPerInch: 80)
    public static let linuxDisplay = Graphics.virtio(widthInPixels: 1280, heightInPixels: 800)

    /// Decides the device set, or throws a `HelperError` that says what to change.
    public static func make(config: VMConfig, bundle: VMBundle, host: VZHostFacts,
                            options: VZGuestOptions? = nil) throws -> VZConfigurationPlan {
        let options = options ?? VZGuestOptions(config: config)
        let name = bundle.name
        guard host.macOSMajor >= 13 else {
            throw HelperError.unsupported("vmtui needs macOS 13 or later to run VMs; this Mac runs macOS \(host.macOSMajor). Update macOS.")
        }
        guard config.arch == host.arch else {
            throw HelperError.unsupported("VM '\(name)' is an \(config.arch) guest, and Virtualization.framework on this \(host.arch) Mac runs \(host.arch) guests only; create an \(host.arch) VM instead.")
        }
        guard MACAddress.isValid(config.macAddress) else {
            throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'macAddress' is not a MAC address like 02:ab:cd:ef:01:23")
        }
        let isMac = config.os == .macos
        switch (config.os, config.boot) {
        case (.macos, .macOS), (.linux, .kernel), (.linux, .efi): break
        case (.macos, _):
            throw HelperError.corruptConfig(path: bundle.config.path, reason: "a macOS guest must have boot kind 'macos'")
        case (.linux, .macOS):
            throw HelperError.corruptConfig(path: bundle.config.path, reason: "boot kind 'macos' needs os 'macos'")
        }
        if isMac && !host.appleSilicon {
            throw HelperError.unsupported("macOS guests need an Apple silicon Mac; this Mac is \(host.arch).")
        }

        var disks = [Disk(path: bundle.disk.path, readOnly: false, caching: isMac ? .automatic : .cached, bus: .virtioBlock)]
        // The cloud-init seed (Provision/): read-only, after the boot disk.
        if config.provision != nil { disks.append(Disk(path: bundle.seed.path, readOnly: true, caching: .automatic, bus: .virtioBlock)) }
        let bootLoader: BootLoader
        let platform: Platform
        switch config.boot {
        case let .kernel(kernel, initrd, cmdline):
            bootLoader = .linuxKernel(kernel: kernel, initrd: initrd, commandLine: consoleCommandLine(cmdline))
            platform = .generic(machineIdentifier: try decode(config.machineIdentifier, key: "machineIdentifier", bundle: bundle),
                                nestedVirtualization: try nested(options, config: config, host: host, name: name))
        case let .efi(iso):
            bootLoader = .efi(variableStore: bundle.efiVars.path)
            if let iso { disks.append(Disk(path: iso, readOnly: true, caching: .automatic, bus: .usbMassStorage)) }
            platform = .generic(machineIdentifier: try decode(config.machineIdentifier, key: "machineIdentifier", bundle: bundle),
                                nestedVirtualization: try nested(options, config: config, host: host, name: name))
        case .macOS:
            bootLoader = .macOS
            guard let model = try decode(config.hardwareModel, key: "hardwareModel", bundle: bundle) else {
                throw HelperError.unsupported("VM '\(name)' has no macOS installed yet (config.json has no hardware model); install it with 'vmtui install \(name)', then start it.")
            }
            // The backend gives a clone its new identifier before planning (VZGuestIdentity).
            guard let identifier = try decode(config.machineIdentifier, key: "machineIdentifier", bundle: bundle) else {
                throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'machineIdentifier' is missing")
            }
            _ = try nested(options, config: config, host: host, name: name)
            platform = .mac(hardwareModel: model, machineIdentifier: identifier, auxiliaryStorage: bundle.auxStorage.path)
        }

        return VZConfigurationPlan(
            cpuCount: config.cpuCount,
            memoryBytes: config.memoryBytes,
            bootLoader: bootLoader,
            platform: platform,
            disks: disks,
            macAddress: config.macAddress,
            entropy: true,
            memoryBalloon: !isMac,
            keyboard: try keyboard(config, host: host, name: name),
            pointingDevice: isMac && host.macOSMajor >= 13 ? .trackpad : .usbScreenCoordinate,
            graphics: isMac ? macDisplay : linuxDisplay,
            shares: try shares(config.shares, macOSGuest: isMac, bundle: bundle, reserved: options.rosetta && !isMac ? [rosettaTag] : []),
            rosettaTag: try rosetta(options, config: config, host: host, name: name),
            saveRestore: host.canSaveRestore)
    }

    /// The virtio console is hvc0 in the guest; a kernel command line made for QEMU's serial port
    /// (the default "console=ttyS0") would send /dev/console elsewhere. The last console= wins.
    public static func consoleCommandLine(_ cmdline: String) -> String {
        let words = cmdline.split(whereSeparator: \.isWhitespace)
        if words.last(where: { $0.hasPrefix("console=") }) == "console=hvc0" { return cmdline }
        return words.isEmpty ? "console=hvc0" : cmdline.trimmingCharacters(in: .whitespaces) + " console=hvc0"
    }

    /// A virtiofs tag: non-empty and under 36 bytes of UTF-8 (VZVirtioFileSystemDeviceConfiguration.validateTag).
    public static func tagProblem(_ tag: String) -> String? {
        if tag.isEmpty { return "is empty" }
        let bytes = tag.utf8.count
        if bytes > maximumTagBytes { return "is \(bytes) bytes long; the limit is \(maximumTagBytes) bytes of UTF-8" }
        return nil
    }

    /// vm/create and vm/configure check shares (ShareRules); what is wrong here was edited by hand.
    static func shares(_ folders: [SharedFolder], macOSGuest: Bool, bundle: VMBundle, reserved: Set<String>) throws -> [Share] {
        func bad(_ reason: String) -> HelperError { .corruptConfig(path: bundle.config.path, reason: reason) }
        var seen = reserved
        var directories: [SharedDirectory] = []
        for folder in folders {
            if macOSGuest {
                // The tag names a folder under /Volumes/My Shared Files.
                if folder.tag.isEmpty || folder.tag.contains("/") || folder.tag == "." || folder.tag == ".." {
                    throw bad("shared folder tag '\(folder.tag)' cannot be a folder name in the guest; use a name without '/'")
                }
            } else if let problem = tagProblem(folder.tag) {
                throw bad("shared folder tag '\(folder.tag)' \(problem)")
            }
            guard seen.insert(folder.tag).inserted else {
                throw bad(reserved.contains(folder.tag) ? "shared folder tag '\(folder.tag)' is taken by the Rosetta share"
                                                        : "shared folder tag '\(folder.tag)' is used twice")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw bad("its shared folder \(folder.path) does not exist or is not a folder")
            }
            directories.append(SharedDirectory(name: folder.tag, path: folder.path, readOnly: folder.readOnly))
        }
        if directories.isEmpty { return [] }
        if macOSGuest { return [Share(tag: .macOSAutomount, directories: directories)] }
        return directories.map { Share(tag: .named($0.name), directories: [$0]) }
    }

    static func rosetta(_ options: VZGuestOptions, config: VMConfig, host: VZHostFacts, name: String) throws -> String? {
        guard options.rosetta else { return nil }
        guard config.os == .linux else {
            throw HelperError.unsupported("VM '\(name)' asks for a Rosetta share, which only Linux guests can use (macOS guests have Rosetta built in); turn it off with 'vmtui configure \(name) --no-rosetta'.")
        }
        switch host.rosetta {
        case .installed:
            return rosettaTag
        case .notInstalled:
            throw HelperError.unsupported("VM '\(name)' asks for Rosetta, which is not installed on this Mac; run 'vmtui rosetta install' (or 'softwareupdate --install-rosetta --agree-to-license') and start it again.")
        case .notSupported:
            throw HelperError.unsupported("VM '\(name)' asks for Rosetta, which needs an Apple silicon Mac with macOS 13 or later; turn it off with 'vmtui configure \(name) --no-rosetta'.")
        }
    }

    static func nested(_ options: VZGuestOptions, config: VMConfig, host: VZHostFacts, name: String) throws -> Bool {
        guard options.nestedVirtualization else { return false }
        guard config.os == .linux else {
            throw HelperError.unsupported("VM '\(name)' asks for nested virtualization, which Virtualization.framework offers to Linux guests only; turn it off with 'vmtui configure \(name) --no-nested'.")
        }
        guard host.macOSMajor >= 15 else {
            throw HelperError.unsupported("VM '\(name)' asks for nested virtualization, which needs macOS 15 or later; this Mac runs macOS \(host.macOSMajor). Update macOS, or turn it off with 'vmtui configure \(name) --no-nested'.")
        }
        guard host.canNestVirtualization else {
            throw HelperError.unsupported("VM '\(name)' asks for nested virtualization, which this Mac's chip does not offer (it needs an M3 or later); turn it off with 'vmtui configure \(name) --no-nested'.")
        }
        return true
    }

    /// A macOS guest's keyboard: the one asked for, else a Mac keyboard from macOS 14 (it reports
    /// its layout to the guest), else USB. Linux guests always get USB.
    static func keyboard(_ config: VMConfig, host: VZHostFacts, name: String) throws -> Keyboard {
        guard config.os == .macos else { return .usb }
        switch config.keyboard {
        case .usb?: return .usb
        case .mac?:
            guard host.macOSMajor >= 14 else {
                throw HelperError.unsupported("VM '\(name)' asks for a Mac keyboard, which needs macOS 14 or later on this Mac (it runs macOS \(host.macOSMajor)); use 'vmtui configure \(name) --keyboard usb'.")
            }
            return .mac
        case nil: return host.macOSMajor >= 14 ? .mac : .usb
        }
    }

    static func decode(_ base64: String?, key: String, bundle: VMBundle) throws -> Data? {
        guard let base64 else { return nil }
        guard let data = Data(base64Encoded: base64), !data.isEmpty else {
            throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key '\(key)' is not valid base64")
        }
        return data
    }
}
