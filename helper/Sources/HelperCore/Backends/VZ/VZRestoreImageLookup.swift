#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// `ipsw/latest` on a Mac: Virtualization.framework's own lookup of the newest macOS restore image
/// this Mac supports (Apple's catalog). Its URL is remote: `ipsw/download` fetches it.
public enum VZRestoreImageLookup {
    public struct Latest: Equatable, Sendable {
        public var url: URL
        public var version: String
        public var build: String
    }

    public static func latest() async throws -> Latest {
        let image: VZMacOSRestoreImage
        do {
            image = try await withCheckedThrowingContinuation { continuation in
                VZMacOSRestoreImage.fetchLatestSupported { continuation.resume(with: $0) }
            }
        } catch {
            throw helperError(error)
        }
        let version = image.operatingSystemVersion
        var text = "\(version.majorVersion).\(version.minorVersion)"
        if version.patchVersion > 0 { text += ".\(version.patchVersion)" }
        return Latest(url: image.url, version: text, build: image.buildVersion)
    }

    static func helperError(_ error: Error) -> HelperError {
        let ns = error as NSError
        let catalogCodes = [VZErrorMapping.restoreImageCatalogLoadFailed, VZErrorMapping.invalidRestoreImageCatalog,
                            VZErrorMapping.noSupportedRestoreImagesInCatalog]
        if ns.domain == VZErrorMapping.domain, catalogCodes.contains(ns.code) {
            let context = VZErrorContext(vmName: "", action: "look up the latest restore image for", state: "", path: "")
            return VZErrorMapping.helperError(code: ns.code, message: ns.localizedDescription, context: context)
        }
        return .backend("Could not look up the latest macOS restore image (\(ns.localizedDescription)); check the Mac's internet connection and try again.")
    }
}
#endif
