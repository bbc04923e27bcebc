#if os(Linux)
import Foundation

// MARK: The configuration object

@available(macOS 11.0, *)
open class VZVirtualMachineConfiguration: NSObject {
    public override init() { unavailable() }

    open var bootLoader: VZBootLoader? { get { unavailable() } set { unavailable() } }
    open var cpuCount: Int { get { unavailable() } set { unavailable() } }
    open var memorySize: UInt64 { get { unavailable() } set { unavailable() } }
    @available(macOS 12.0, *)
    open var platform: VZPlatformConfiguration { get { unavailable() } set { unavailable() } }
    @available(macOS 12.0, *)
    open var directorySharingDevices: [VZDirectorySharingDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    open var entropyDevices: [VZEntropyDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    open var memoryBalloonDevices: [VZMemoryBalloonDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    open var networkDevices: [VZNetworkDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    open var serialPorts: [VZSerialPortConfiguration] { get { unavailable() } set { unavailable() } }
    open var storageDevices: [VZStorageDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    @available(macOS 12.0, *)
    open var keyboards: [VZKeyboardConfiguration] { get { unavailable() } set { unavailable() } }
    @available(macOS 12.0, *)
    open var pointingDevices: [VZPointingDeviceConfiguration] { get { unavailable() } set { unavailable() } }
    @available(macOS 12.0, *)
    open var graphicsDevices: [VZGraphicsDeviceConfiguration] { get { unavailable() } set { unavailable() } }

    open func validate() throws { unavailable() }
    @available(macOS 14.0, *)
    open func validateSaveRestoreSupport() throws { unavailable() }
}

// MARK: Boot loaders

@available(macOS 11.0, *)
open class VZBootLoader: NSObject {}

@available(macOS 11.0, *)
open class VZLinuxBootLoader: VZBootLoader {
    public init(kernelURL: URL) { unavailable() }
    open var commandLine: String { get { unavailable() } set { unavailable() } }
    open var initialRamdiskURL: URL? { get { unavailable() } set { unavailable() } }
}

@available(macOS 13.0, *)
open class VZEFIBootLoader: VZBootLoader {
    public override init() { unavailable() }
    open var variableStore: VZEFIVariableStore? { get { unavailable() } set { unavailable() } }
}

@available(macOS 13.0, *)
open class VZEFIVariableStore: NSObject {
    public struct InitializationOptions: OptionSet, Sendable {
        public let rawValue: UInt
        public init(rawValue: UInt) { self.rawValue = rawValue }
    }

    public init(url: URL) { unavailable() }
    public init(creatingVariableStoreAt url: URL, options: VZEFIVariableStore.InitializationOptions = []) throws { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacOSBootLoader: VZBootLoader {
    public override init() { unavailable() }
}

// MARK: Platforms

@available(macOS 12.0, *)
open class VZPlatformConfiguration: NSObject {}

@available(macOS 12.0, *)
open class VZGenericPlatformConfiguration: VZPlatformConfiguration {
    public override init() { unavailable() }
    @available(macOS 13.0, *)
    open var machineIdentifier: VZGenericMachineIdentifier { get { unavailable() } set { unavailable() } }
    @available(macOS 15.0, *)
    open class var isNestedVirtualizationSupported: Bool { unavailable() }
    @available(macOS 15.0, *)
    open var isNestedVirtualizationEnabled: Bool { get { unavailable() } set { unavailable() } }
}

@available(macOS 13.0, *)
open class VZGenericMachineIdentifier: NSObject {
    public override init() { unavailable() }
    public init?(dataRepresentation: Data) { unavailable() }
    open var dataRepresentation: Data { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacPlatformConfiguration: VZPlatformConfiguration {
    public override init() { unavailable() }
    open var hardwareModel: VZMacHardwareModel { get { unavailable() } set { unavailable() } }
    open var machineIdentifier: VZMacMachineIdentifier { get { unavailable() } set { unavailable() } }
    open var auxiliaryStorage: VZMacAuxiliaryStorage? { get { unavailable() } set { unavailable() } }
}

@available(macOS 12.0, *)
open class VZMacHardwareModel: NSObject {
    public init?(dataRepresentation: Data) { unavailable() }
    open var dataRepresentation: Data { unavailable() }
    open var isSupported: Bool { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacMachineIdentifier: NSObject {
    public override init() { unavailable() }
    public init?(dataRepresentation: Data) { unavailable() }
    open var dataRepresentation: Data { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacAuxiliaryStorage: NSObject {
    public struct InitializationOptions: OptionSet, Sendable {
        public let rawValue: UInt
        public init(rawValue: UInt) { self.rawValue = rawValue }
        public static var allowOverwrite: VZMacAuxiliaryStorage.InitializationOptions { unavailable() }
    }

    @available(macOS 13.0, *)
    public init(url: URL) { unavailable() }
    public init(creatingStorageAt url: URL, hardwareModel: VZMacHardwareModel,
                options: VZMacAuxiliaryStorage.InitializationOptions = []) throws { unavailable() }
}

#endif
