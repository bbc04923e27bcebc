#if os(Linux)
import Foundation

@available(macOS 12.0, *)
open class VZMacOSRestoreImage: NSObject {
    // The Swift overlay's refinement of +loadFileURL:completionHandler:.
    open class func load(from fileURL: URL, completionHandler: @escaping @Sendable (Result<VZMacOSRestoreImage, any Error>) -> Void) { unavailable() }
    // The Swift overlay's refinement of +fetchLatestSupportedWithCompletionHandler:; the handler runs on an arbitrary thread.
    open class func fetchLatestSupported(completionHandler: @escaping @Sendable (Result<VZMacOSRestoreImage, any Error>) -> Void) { unavailable() }
    /// A network URL for a fetched image; a file URL for a loaded one.
    open var url: URL { unavailable() }
    open var buildVersion: String { unavailable() }
    open var operatingSystemVersion: OperatingSystemVersion { unavailable() }
    open var mostFeaturefulSupportedConfiguration: VZMacOSConfigurationRequirements? { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacOSConfigurationRequirements: NSObject {
    open var hardwareModel: VZMacHardwareModel { unavailable() }
    open var minimumSupportedCPUCount: Int { unavailable() }
    open var minimumSupportedMemorySize: UInt64 { unavailable() }
}

@available(macOS 12.0, *)
open class VZMacOSInstaller: NSObject {
    public init(virtualMachine: VZVirtualMachine, restoringFromImageAt restoreImageFileURL: URL) { unavailable() }
    // The Swift overlay's refinement of -installWithCompletionHandler:.
    open func install(completionHandler: @escaping @Sendable (Result<Void, any Error>) -> Void) { unavailable() }
    open var progress: Progress { unavailable() }
}

#endif
