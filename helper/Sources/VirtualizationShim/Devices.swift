#if os(Linux)
import Foundation

// MARK: Storage

@available(macOS 11.0, *)
open class VZStorageDeviceConfiguration: NSObject {}

@available(macOS 11.0, *)
open class VZStorageDeviceAttachment: NSObject {}

// Enumerations list only the cases the backend names, with Apple's raw values.
@available(macOS 12.0, *)
public enum VZDiskImageCachingMode: Int, Sendable {
    case automatic = 0
    case cached = 2
}

@available(macOS 12.0, *)
public enum VZDiskImageSynchronizationMode: Int, Sendable {
    case full = 1
}

@available(macOS 11.0, *)
open class VZDiskImageStorageDeviceAttachment: VZStorageDeviceAttachment {
    @available(macOS 12.0, *)
    public init(url: URL, readOnly: Bool, cachingMode: VZDiskImageCachingMode,
                synchronizationMode: VZDiskImageSynchronizationMode) throws { unavailable() }
}

@available(macOS 11.0, *)
open class VZVirtioBlockDeviceConfiguration: VZStorageDeviceConfiguration {
    public init(attachment: VZStorageDeviceAttachment) { unavailable() }
}

@available(macOS 13.0, *)
open class VZUSBMassStorageDeviceConfiguration: VZStorageDeviceConfiguration {
    public init(attachment: VZStorageDeviceAttachment) { unavailable() }
}

// MARK: Network

@available(macOS 11.0, *)
open class VZNetworkDeviceConfiguration: NSObject {
    open var macAddress: VZMACAddress { get { unavailable() } set { unavailable() } }
    open var attachment: VZNetworkDeviceAttachment? { get { unavailable() } set { unavailable() } }
}

@available(macOS 11.0, *)
open class VZVirtioNetworkDeviceConfiguration: VZNetworkDeviceConfiguration {
    public override init() { unavailable() }
}

@available(macOS 11.0, *)
open class VZNetworkDeviceAttachment: NSObject {}

@available(macOS 11.0, *)
open class VZNATNetworkDeviceAttachment: VZNetworkDeviceAttachment {
    public override init() { unavailable() }
}

@available(macOS 11.0, *)
open class VZMACAddress: NSObject {
    public init?(string: String) { unavailable() }
}

// MARK: Serial console

@available(macOS 11.0, *)
open class VZSerialPortConfiguration: NSObject {
    open var attachment: VZSerialPortAttachment? { get { unavailable() } set { unavailable() } }
}

@available(macOS 11.0, *)
open class VZVirtioConsoleDeviceSerialPortConfiguration: VZSerialPortConfiguration {
    public override init() { unavailable() }
}

@available(macOS 11.0, *)
open class VZSerialPortAttachment: NSObject {}

@available(macOS 11.0, *)
open class VZFileHandleSerialPortAttachment: VZSerialPortAttachment {
    public init(fileHandleForReading: FileHandle?, fileHandleForWriting: FileHandle?) { unavailable() }
}

// MARK: Entropy and memory balloon

@available(macOS 11.0, *)
open class VZEntropyDeviceConfiguration: NSObject {}

@available(macOS 11.0, *)
open class VZVirtioEntropyDeviceConfiguration: VZEntropyDeviceConfiguration {
    public override init() { unavailable() }
}

@available(macOS 11.0, *)
open class VZMemoryBalloonDeviceConfiguration: NSObject {}

@available(macOS 11.0, *)
open class VZVirtioTraditionalMemoryBalloonDeviceConfiguration: VZMemoryBalloonDeviceConfiguration {
    public override init() { unavailable() }
}

// MARK: Keyboards and pointing devices

@available(macOS 12.0, *)
open class VZKeyboardConfiguration: NSObject {}

@available(macOS 12.0, *)
open class VZUSBKeyboardConfiguration: VZKeyboardConfiguration {
    public override init() { unavailable() }
}

@available(macOS 14.0, *)
open class VZMacKeyboardConfiguration: VZKeyboardConfiguration {
    public override init() { unavailable() }
}

@available(macOS 12.0, *)
open class VZPointingDeviceConfiguration: NSObject {}

@available(macOS 12.0, *)
open class VZUSBScreenCoordinatePointingDeviceConfiguration: VZPointingDeviceConfiguration {
    public override init() { unavailable() }
}

@available(macOS 13.0, *)
open class VZMacTrackpadConfiguration: VZPointingDeviceConfiguration {
    public override init() { unavailable() }
}

// MARK: Graphics

@available(macOS 12.0, *)
open class VZGraphicsDeviceConfiguration: NSObject {}

@available(macOS 12.0, *)
open class VZMacGraphicsDeviceConfiguration: VZGraphicsDeviceConfiguration {
    public override init() { unavailable() }
    open var displays: [VZMacGraphicsDisplayConfiguration] { get { unavailable() } set { unavailable() } }
}

// Apple's superclass is VZGraphicsDisplayConfiguration (macOS 14 SDKs); the backend never names it.
@available(macOS 12.0, *)
open class VZMacGraphicsDisplayConfiguration: NSObject {
    public init(widthInPixels: Int, heightInPixels: Int, pixelsPerInch: Int) { unavailable() }
}

@available(macOS 13.0, *)
open class VZVirtioGraphicsDeviceConfiguration: VZGraphicsDeviceConfiguration {
    public override init() { unavailable() }
    open var scanouts: [VZVirtioGraphicsScanoutConfiguration] { get { unavailable() } set { unavailable() } }
}

// Apple's superclass is VZGraphicsDisplayConfiguration (macOS 14 SDKs); the backend never names it.
@available(macOS 13.0, *)
open class VZVirtioGraphicsScanoutConfiguration: NSObject {
    public init(widthInPixels: Int, heightInPixels: Int) { unavailable() }
}

// MARK: Shared folders

@available(macOS 12.0, *)
open class VZDirectorySharingDeviceConfiguration: NSObject {}

@available(macOS 12.0, *)
open class VZVirtioFileSystemDeviceConfiguration: VZDirectorySharingDeviceConfiguration {
    public init(tag: String) { unavailable() }
    open class func validateTag(_ tag: String) throws { unavailable() }
    @available(macOS 13.0, *)
    open class var macOSGuestAutomountTag: String { unavailable() }
    open var share: VZDirectoryShare? { get { unavailable() } set { unavailable() } }
}

@available(macOS 12.0, *)
open class VZDirectoryShare: NSObject {
    // Keeps NSObject's init() from being inherited, so that the Rosetta share's throwing init() is
    // not an override (Apple's abstract class marks init() unavailable). Not API.
    init(abstract: Void) { unavailable() }
}

@available(macOS 12.0, *)
open class VZSharedDirectory: NSObject {
    public init(url: URL, readOnly: Bool) { unavailable() }
}

@available(macOS 12.0, *)
open class VZSingleDirectoryShare: VZDirectoryShare {
    public init(directory: VZSharedDirectory) { unavailable() }
}

@available(macOS 12.0, *)
open class VZMultipleDirectoryShare: VZDirectoryShare {
    public init(directories: [String: VZSharedDirectory]) { unavailable() }
}

@available(macOS 13.0, *)
public enum VZLinuxRosettaAvailability: Int, Sendable {
    case notSupported = 0
    case notInstalled = 1
    case installed = 2
}

@available(macOS 13.0, *)
open class VZLinuxRosettaDirectoryShare: VZDirectoryShare {
    public init() throws { unavailable() }
    open class var availability: VZLinuxRosettaAvailability { unavailable() }
    open class func installRosetta(completionHandler: @escaping @Sendable ((any Error)?) -> Void) { unavailable() }
}

#endif
