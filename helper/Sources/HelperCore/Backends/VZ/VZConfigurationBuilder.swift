#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// Turns a `VZConfigurationPlan` into the framework's configuration. Every choice was made in the
/// plan; this only spells it in Virtualization.framework's types.
enum VZConfigurationBuilder {
    static func build(_ plan: VZConfigurationPlan, bundle: VMBundle, console: VZConsolePipes) throws -> VZVirtualMachineConfiguration {
        let configuration = VZVirtualMachineConfiguration()
        configuration.cpuCount = plan.cpuCount
        configuration.memorySize = plan.memoryBytes
        configuration.bootLoader = try bootLoader(plan.bootLoader, bundle: bundle)
        configuration.platform = try platform(plan.platform, bundle: bundle)
        configuration.storageDevices = try plan.disks.map { try storageDevice($0, bundle: bundle) }

        let network = VZVirtioNetworkDeviceConfiguration()
        network.attachment = VZNATNetworkDeviceAttachment()
        guard let mac = VZMACAddress(string: plan.macAddress) else {
            throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'macAddress' is not a MAC address like 02:ab:cd:ef:01:23")
        }
        network.macAddress = mac
        configuration.networkDevices = [network]

        let serial = VZVirtioConsoleDeviceSerialPortConfiguration()
        serial.attachment = VZFileHandleSerialPortAttachment(fileHandleForReading: console.guestReads,
                                                             fileHandleForWriting: console.guestWrites)
        configuration.serialPorts = [serial]

        if plan.entropy { configuration.entropyDevices = [VZVirtioEntropyDeviceConfiguration()] }
        if plan.memoryBalloon { configuration.memoryBalloonDevices = [VZVirtioTraditionalMemoryBalloonDeviceConfiguration()] }
        configuration.keyboards = [keyboard(plan.keyboard)]
        configuration.pointingDevices = [pointingDevice(plan.pointingDevice)]
        configuration.graphicsDevices = [graphicsDevice(plan.graphics)]
        configuration.directorySharingDevices = try directorySharingDevices(plan)
        return configuration
    }

    static func bootLoader(_ boot: VZConfigurationPlan.BootLoader, bundle: VMBundle) throws -> VZBootLoader {
        switch boot {
        case let .linuxKernel(kernel, initrd, commandLine):
            let loader = VZLinuxBootLoader(kernelURL: URL(fileURLWithPath: kernel))
            if let initrd { loader.initialRamdiskURL = URL(fileURLWithPath: initrd) }
            loader.commandLine = commandLine
            return loader
        case let .efi(variableStore):
            let url = URL(fileURLWithPath: variableStore)
            let loader = VZEFIBootLoader()
            if FileManager.default.fileExists(atPath: variableStore) {
                loader.variableStore = VZEFIVariableStore(url: url)
            } else {
                do {
                    loader.variableStore = try VZEFIVariableStore(creatingVariableStoreAt: url, options: [])
                } catch {
                    throw VZErrorMapping.helperError(error, context: VZErrorContext(
                        vmName: bundle.name, action: "create the EFI variable store of", state: "stopped", path: variableStore))
                }
            }
            return loader
        case .macOS:
            return VZMacOSBootLoader()
        }
    }

    static func platform(_ platform: VZConfigurationPlan.Platform, bundle: VMBundle) throws -> VZPlatformConfiguration {
        switch platform {
        case let .generic(identifier, nested):
            let generic = VZGenericPlatformConfiguration()
            if let identifier {
                guard let machineIdentifier = VZGenericMachineIdentifier(dataRepresentation: identifier) else {
                    throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'machineIdentifier' is not a machine identifier")
                }
                generic.machineIdentifier = machineIdentifier
            }
            if nested {
                guard #available(macOS 15, *) else {
                    throw HelperError.unsupported("Nested virtualization needs macOS 15 or later; remove \"nestedVirtualization\" from the config.json of VM '\(bundle.name)'.")
                }
                generic.isNestedVirtualizationEnabled = true
            }
            return generic
        case let .mac(hardwareModelData, identifier, auxiliaryStorage):
            guard let hardwareModel = VZMacHardwareModel(dataRepresentation: hardwareModelData) else {
                throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'hardwareModel' is not a Mac hardware model")
            }
            guard hardwareModel.isSupported else {
                throw HelperError.unsupported("This Mac cannot run the macOS version installed in VM '\(bundle.name)' (its hardware model is not supported here); update macOS on this Mac.")
            }
            guard let machineIdentifier = VZMacMachineIdentifier(dataRepresentation: identifier) else {
                throw HelperError.corruptConfig(path: bundle.config.path, reason: "the key 'machineIdentifier' is not a Mac machine identifier")
            }
            guard FileOps.isRegularFile(auxiliaryStorage) else {
                throw HelperError.corruptConfig(path: bundle.config.path, reason: "the macOS guest's auxiliary storage \(auxiliaryStorage) is missing; restore it from a backup or install macOS again")
            }
            let mac = VZMacPlatformConfiguration()
            mac.hardwareModel = hardwareModel
            mac.machineIdentifier = machineIdentifier
            mac.auxiliaryStorage = VZMacAuxiliaryStorage(url: URL(fileURLWithPath: auxiliaryStorage))
            return mac
        }
    }

    static func storageDevice(_ disk: VZConfigurationPlan.Disk, bundle: VMBundle) throws -> VZStorageDeviceConfiguration {
        let attachment: VZDiskImageStorageDeviceAttachment
        do {
            attachment = try VZDiskImageStorageDeviceAttachment(
                url: URL(fileURLWithPath: disk.path), readOnly: disk.readOnly,
                cachingMode: disk.caching == .cached ? .cached : .automatic, synchronizationMode: .full)
        } catch {
            throw VZErrorMapping.helperError(error, context: VZErrorContext(
                vmName: bundle.name, action: "open the disk image of", state: "stopped", path: disk.path))
        }
        switch disk.bus {
        case .virtioBlock: return VZVirtioBlockDeviceConfiguration(attachment: attachment)
        case .usbMassStorage: return VZUSBMassStorageDeviceConfiguration(attachment: attachment)
        }
    }

    static func keyboard(_ keyboard: VZConfigurationPlan.Keyboard) -> VZKeyboardConfiguration {
        if keyboard == .mac, #available(macOS 14, *) { return VZMacKeyboardConfiguration() }
        return VZUSBKeyboardConfiguration()
    }

    static func pointingDevice(_ device: VZConfigurationPlan.PointingDevice) -> VZPointingDeviceConfiguration {
        switch device {
        case .trackpad: return VZMacTrackpadConfiguration()
        case .usbScreenCoordinate: return VZUSBScreenCoordinatePointingDeviceConfiguration()
        }
    }

    static func graphicsDevice(_ graphics: VZConfigurationPlan.Graphics) -> VZGraphicsDeviceConfiguration {
        switch graphics {
        case let .mac(width, height, ppi):
            let device = VZMacGraphicsDeviceConfiguration()
            device.displays = [VZMacGraphicsDisplayConfiguration(widthInPixels: width, heightInPixels: height, pixelsPerInch: ppi)]
            return device
        case let .virtio(width, height):
            let device = VZVirtioGraphicsDeviceConfiguration()
            device.scanouts = [VZVirtioGraphicsScanoutConfiguration(widthInPixels: width, heightInPixels: height)]
            return device
        }
    }

    static func directorySharingDevices(_ plan: VZConfigurationPlan) throws -> [VZDirectorySharingDeviceConfiguration] {
        var devices: [VZDirectorySharingDeviceConfiguration] = []
        for share in plan.shares {
            let device: VZVirtioFileSystemDeviceConfiguration
            switch share.tag {
            case .named(let tag):
                // The plan checked the tag; the framework raises an exception (not an error) on a bad one.
                try VZVirtioFileSystemDeviceConfiguration.validateTag(tag)
                device = VZVirtioFileSystemDeviceConfiguration(tag: tag)
            case .macOSAutomount:
                device = VZVirtioFileSystemDeviceConfiguration(tag: VZVirtioFileSystemDeviceConfiguration.macOSGuestAutomountTag)
            }
            let directories = share.directories.map { ($0.name, VZSharedDirectory(url: URL(fileURLWithPath: $0.path), readOnly: $0.readOnly)) }
            if share.tag != .macOSAutomount, directories.count == 1 {
                device.share = VZSingleDirectoryShare(directory: directories[0].1)
            } else {
                device.share = VZMultipleDirectoryShare(directories: Dictionary(directories, uniquingKeysWith: { first, _ in first }))
            }
            devices.append(device)
        }
        if let tag = plan.rosettaTag {
            try VZVirtioFileSystemDeviceConfiguration.validateTag(tag)
            let device = VZVirtioFileSystemDeviceConfiguration(tag: tag)
            device.share = try VZLinuxRosettaDirectoryShare()
            devices.append(device)
        }
        return devices
    }
}
#endif
