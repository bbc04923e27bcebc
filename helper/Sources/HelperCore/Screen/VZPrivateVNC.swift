import Foundation
#if canImport(ObjectiveC)
import ObjectiveC
#endif

/// Virtualization.framework's VNC server, `_VZVNCServer`: private API, reached through the
/// Objective-C runtime so nothing links against it, and so a macOS without it gets a sentence, not
/// a crash at launch. Experimental: Apple may change or remove it in any release (README, "Screen").
/// Calls go through the methods' implementations with C types only (objects as raw pointers), which
/// the Darwin check can type-check on Linux against the ObjectiveC stand-in.
enum VZPrivateVNC {
    static let serverClassName = "_VZVNCServer"

    #if canImport(ObjectiveC)
    private typealias Alloc = @convention(c) (UnsafeMutableRawPointer, OpaquePointer) -> UnsafeMutableRawPointer?
    private typealias InitObject = @convention(c) (UnsafeMutableRawPointer, OpaquePointer, UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?
    private typealias InitServer = @convention(c) (UnsafeMutableRawPointer, OpaquePointer, Int, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?
    private typealias SetObject = @convention(c) (UnsafeMutableRawPointer, OpaquePointer, UnsafeMutableRawPointer) -> Void
    private typealias GetInteger = @convention(c) (UnsafeMutableRawPointer, OpaquePointer) -> Int
    private typealias Action = @convention(c) (UnsafeMutableRawPointer, OpaquePointer) -> Void

    /// Makes and starts a server for `machine` (on the machine's queue) on 127.0.0.1, port 0 (the
    /// server picks one), with VNC Authentication and `password`.
    static func start(machine: AnyObject, password: String, queue: DispatchQueue) throws -> NSObject {
        guard let serverClass = NSClassFromString(serverClassName),
              let securityClass = NSClassFromString("_VZVNCAuthenticationSecurityConfiguration") else {
            throw missing("the class \(serverClassName)")
        }
        let security = try make(securityClass, "initWithPassword:", InitObject.self) { f, object, sel in
            f(object, sel, pointer(NSString(string: password)))
        }
        let server = try make(serverClass, "initWithPort:queue:securityConfiguration:", InitServer.self) { f, object, sel in
            f(object, sel, 0, pointer(queue), pointer(security))
        }
        let (setMachine, setSel) = try method(serverClass, "setVirtualMachine:", SetObject.self)
        setMachine(pointer(server), setSel, pointer(machine))
        let (start, startSel) = try method(serverClass, "start", Action.self)
        start(pointer(server), startSel)
        return server
    }

    /// The port it listens on: 0 until the server has bound one, shortly after `start`.
    static func port(_ server: NSObject) -> Int {
        guard let (get, sel) = try? method(type(of: server), "port", GetInteger.self) else { return 0 }
        return get(pointer(server), sel) & 0xFFFF  // an unsigned short: only the low bits are set
    }

    static func stop(_ server: NSObject) {
        guard let (stop, sel) = try? method(type(of: server), "stop", Action.self) else { return }
        stop(pointer(server), sel)
    }

    private static func pointer(_ object: AnyObject) -> UnsafeMutableRawPointer { Unmanaged.passUnretained(object).toOpaque() }

    private static func method<F>(_ cls: AnyClass, _ name: String, _ type: F.Type) throws -> (F, OpaquePointer) {
        let sel = NSSelectorFromString(name)
        guard class_respondsToSelector(cls, sel), let imp = class_getMethodImplementation(cls, sel) else {
            throw missing("the method \(name) of \(NSStringFromClass(cls))")
        }
        return (unsafeBitCast(imp, to: type), unsafeBitCast(sel, to: OpaquePointer.self))
    }

    /// `[[cls alloc] init…]`: alloc returns an owned object, init consumes it and returns one.
    private static func make<F>(_ cls: AnyClass, _ initName: String, _ type: F.Type,
                                _ call: (F, UnsafeMutableRawPointer, OpaquePointer) -> UnsafeMutableRawPointer?) throws -> NSObject {
        guard let meta = object_getClass(cls) else { throw missing("the class of \(NSStringFromClass(cls))") }
        let (alloc, allocSel) = try method(meta, "alloc", Alloc.self)
        let (initialize, initSel) = try method(cls, initName, type)
        guard let allocated = alloc(pointer(cls as AnyObject), allocSel), let made = call(initialize, allocated, initSel) else {
            throw HelperError.backend("Virtualization.framework's private VNC server could not be made (\(NSStringFromClass(cls)) \(initName) returned nothing).")
        }
        return Unmanaged<NSObject>.fromOpaque(made).takeRetainedValue()
    }
    #else
    static func start(machine: AnyObject, password: String, queue: DispatchQueue) throws -> NSObject {
        throw missing("the Objective-C runtime (this is not macOS)")
    }

    static func port(_ server: NSObject) -> Int { 0 }
    static func stop(_ server: NSObject) {}
    #endif

    static func missing(_ what: String) -> HelperError {
        .unsupported("This Mac's Virtualization.framework has no VNC server vmtui can use (\(what) is missing); it is private API that macOS may change. Turn it off with 'vmtui configure NAME --vnc socket' and use the guest's own screen sharing instead.")
    }
}
