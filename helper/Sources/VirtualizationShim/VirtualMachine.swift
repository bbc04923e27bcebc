#if os(Linux)
import Foundation
import Dispatch

@available(macOS 11.0, *)
open class VZVirtualMachine: NSObject {
    // Every case: VZStateMapping maps each raw value.
    public enum State: Int, Sendable {
        case stopped = 0
        case running = 1
        case paused = 2
        case error = 3
        case starting = 4
        case pausing = 5
        case resuming = 6
        @available(macOS 12.0, *)
        case stopping = 7
        @available(macOS 14.0, *)
        case saving = 8
        @available(macOS 14.0, *)
        case restoring = 9
    }

    public init(configuration: VZVirtualMachineConfiguration, queue: DispatchQueue) { unavailable() }

    open var state: VZVirtualMachine.State { unavailable() }
    weak open var delegate: (any VZVirtualMachineDelegate)?
    @available(macOS 12.0, *)
    open var canStop: Bool { unavailable() }
    open var canPause: Bool { unavailable() }
    open var canResume: Bool { unavailable() }
    open var canRequestStop: Bool { unavailable() }

    // The Swift overlay's refinements of start/pause/resume.
    open func start(completionHandler: @escaping @Sendable (Result<Void, any Error>) -> Void) { unavailable() }
    open func pause(completionHandler: @escaping @Sendable (Result<Void, any Error>) -> Void) { unavailable() }
    open func resume(completionHandler: @escaping @Sendable (Result<Void, any Error>) -> Void) { unavailable() }
    @available(macOS 12.0, *)
    open func stop(completionHandler: @escaping @Sendable ((any Error)?) -> Void) { unavailable() }
    open func requestStop() throws { unavailable() }
    @available(macOS 14.0, *)
    open func saveMachineStateTo(url saveFileURL: URL, completionHandler: @escaping @Sendable ((any Error)?) -> Void) { unavailable() }
    @available(macOS 14.0, *)
    open func restoreMachineStateFrom(url saveFileURL: URL, completionHandler: @escaping @Sendable ((any Error)?) -> Void) { unavailable() }
}

/// Apple's protocol is `@objc` with optional members; the backend implements exactly these two.
@available(macOS 11.0, *)
public protocol VZVirtualMachineDelegate: NSObjectProtocol {
    func guestDidStop(_ virtualMachine: VZVirtualMachine)
    func virtualMachine(_ virtualMachine: VZVirtualMachine, didStopWithError error: any Error)
}

#endif
