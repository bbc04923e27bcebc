import Foundation

/// `vm/screenshot`: the guest's screen as a PNG, at its own size.
public struct ScreenshotParams: Codable, Equatable, Sendable {
    public var name: String
    /// Only "png" for now.
    public var format: String?
}

public struct ScreenshotResult: Codable, Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pngBase64: String
}

/// `vm/sendKeys`: keys pressed on the guest's keyboard, in order (ScreenKeys.swift names them).
public struct SendKeysParams: Codable, Equatable, Sendable {
    public var name: String
    public var keys: [String]
}

/// `vm/screenFrame`: the screen scaled down to `width`×`height` pixels (a terminal view asks for
/// columns × rows·2), as packed RGB. `previous` is the digest of the frame the client has; when the
/// screen has not changed the result carries the digest and no pixels.
public struct ScreenFrameParams: Codable, Equatable, Sendable {
    public var name: String
    public var width: Int
    public var height: Int
    public var previous: String?
}

public struct ScreenFrameResult: Codable, Equatable, Sendable {
    /// The guest's screen size before scaling.
    public var sourceWidth: Int
    public var sourceHeight: Int
    public var width: Int
    public var height: Int
    public var digest: String
    /// width·height·3 bytes, row by row; absent when `digest` equals the request's `previous`.
    public var rgbBase64: String?
}

/// `vm/vnc`: where a VNC viewer reaches the guest's screen.
public struct VNCInfoResult: Codable, Equatable, Sendable {
    /// A unix socket path (QEMU), or absent where the screen is served on TCP.
    public var socketPath: String?
    /// "127.0.0.1:PORT" where the screen is served on TCP.
    public var address: String?
    public var password: String?
}

public enum ScreenshotRequest: HostRequestType {
    public typealias Params = ScreenshotParams
    public typealias Result = ScreenshotResult
    public static let method = "vm/screenshot"
}

public enum SendKeysRequest: HostRequestType {
    public typealias Params = SendKeysParams
    public typealias Result = NullResult
    public static let method = "vm/sendKeys"
}

public enum ScreenFrameRequest: HostRequestType {
    public typealias Params = ScreenFrameParams
    public typealias Result = ScreenFrameResult
    public static let method = "vm/screenFrame"
}

public enum VNCInfoRequest: HostRequestType {
    public typealias Params = VMNameParams
    public typealias Result = VNCInfoResult
    public static let method = "vm/vnc"
}

extension ScreenshotParams: VMNamed {}
extension SendKeysParams: VMNamed {}
extension ScreenFrameParams: VMNamed {}
