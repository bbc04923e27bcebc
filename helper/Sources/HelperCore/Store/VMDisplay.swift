import Foundation

/// A guest's screen size in pixels (config.json `display`).
public struct DisplaySize: Codable, Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public static let standard = DisplaySize(width: 1280, height: 800)

    /// Sizes QEMU's VGA and virtio-gpu accept and a terminal view can still scale.
    public func validate() throws {
        guard (320...7680).contains(width), (200...4320).contains(height) else {
            throw HelperError.invalidParams(field: "display",
                message: "A display of \(width)×\(height) is outside 320×200 … 7680×4320; pick a size such as 1280×800.")
        }
    }
}

/// Where a VM's VNC server listens (config.json `vnc`, PROTOCOL.md "Screen"): `socket` (the default;
/// QEMU: `<bundle>/vnc.sock` without a password; VZ: no server) or `tcp` (127.0.0.1 on a port chosen at
/// start with a password made at each start; on VZ the experimental private `_VZVNCServer`).
public enum VNCServerKind: String, Codable, Equatable, Sendable {
    case socket, tcp
}

extension VMConfig {
    public var vncServer: VNCServerKind {
        get { extra["vnc"].flatMap { try? $0.decode(as: VNCServerKind.self) } ?? .socket }
        set { extra["vnc"] = newValue == .socket ? nil : .string(newValue.rawValue) }
    }
}

/// `display` lives in config.json beside the other keys; it is read through `extra` so bundles
/// written before it existed keep working. Absent means "the default for this boot kind",
/// null means "no display".
extension VMConfig {
    public var display: DisplaySize? {
        get {
            switch extra["display"] {
            case nil: return VMConfig.defaultDisplay(os: os, boot: boot)
            case .null?: return nil
            case let value?: return try? value.decode(as: DisplaySize.self)
            }
        }
        set {
            if let newValue, let value = try? JSONValue(encoding: newValue) { extra["display"] = value } else { extra["display"] = .null }
        }
    }

    /// On for installers (an ISO, a macOS guest), whose screens are how they are used; off for
    /// kernel boots and disk images, which speak on the serial console.
    public static func defaultDisplay(os: GuestOS, boot: BootConfig) -> DisplaySize? {
        switch boot {
        case .macOS: return .standard
        case .efi(let iso?) where !iso.isEmpty: return .standard
        default: return os == .macos ? .standard : nil
        }
    }
}
