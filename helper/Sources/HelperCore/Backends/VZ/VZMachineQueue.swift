// Virtualization.framework's Mac and save/restore API exists on Apple silicon only; on Linux the
// shim stands in so this compiles here.
#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// One VZVirtualMachine and the serial queue that every call to it runs on; its callbacks and
/// delegate calls arrive there too. The completion-handler API is bridged here, once.
final class VZMachineQueue: @unchecked Sendable {
    typealias Completion<T> = @Sendable (Result<T, Error>) -> Void
    typealias Operation<T> = @Sendable (VZVirtualMachine, @escaping Completion<T>) -> Void

    let queue: DispatchQueue
    /// Set and read on `queue` only.
    private var machine: VZVirtualMachine?

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Makes the machine on its queue and lets `setUp` attach delegate and observers there.
    func create(_ configuration: VZVirtualMachineConfiguration, setUp: @escaping (VZVirtualMachine) -> Void) throws {
        let handed = Handed(configuration)
        let setUp = Handed(setUp)
        try blocking { (_: VZVirtualMachine?, done: @escaping Completion<Void>) in
            let vm = VZVirtualMachine(configuration: handed.value, queue: self.queue)
            self.machine = vm
            setUp.value(vm)
            done(.success(()))
        }
    }

    /// Same, for async callers (the installer).
    func create(_ configuration: VZVirtualMachineConfiguration) async throws {
        // The configuration is handed to the queue and not touched here again.
        let handed = Handed(configuration)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            queue.async {
                self.machine = VZVirtualMachine(configuration: handed.value, queue: self.queue)
                continuation.resume()
            }
        }
    }

    /// Runs `operation` on the queue and waits for its completion handler.
    func run<T: Sendable>(_ operation: @escaping Operation<T>) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit(operation) { continuation.resume(with: $0) }
        }
    }

    /// The same for the synchronous VMBackend calls; on the main thread the main run loop keeps
    /// turning while it waits (the framework may need it).
    func runBlocking<T>(_ operation: @escaping Operation<T>) throws -> T {
        try blocking { vm, done in
            guard let vm else { return done(.failure(Self.noMachine)) }
            operation(vm, done)
        }
    }

    /// A synchronous VZ call (requestStop, state checks) made on the queue.
    func sync<T>(_ body: @escaping @Sendable (VZVirtualMachine) throws -> T) throws -> T {
        try runBlocking { vm, done in done(Result { try body(vm) }) }
    }

    /// Adapts the `(Error?) -> Void` handlers (stop, save, restore) to a Result.
    static func adapt(_ done: @escaping Completion<Void>) -> (@Sendable (Error?) -> Void) {
        { error in done(error.map { .failure($0) } ?? .success(())) }
    }

    static let noMachine = HelperError.backend("The virtual machine has not been created yet; start it first.")

    private func submit<T>(_ operation: @escaping Operation<T>, deliver: @escaping Completion<T>) {
        queue.async {
            guard let vm = self.machine else { return deliver(.failure(Self.noMachine)) }
            // A handler called twice would resume a continuation twice; only the first counts.
            let first = ResultBox<T>()
            operation(vm) { result in
                guard first.set(result) else { return }
                deliver(result)
            }
        }
    }

    private func blocking<T>(_ body: @escaping @Sendable (VZVirtualMachine?, @escaping Completion<T>) -> Void) throws -> T {
        let finished = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        queue.async {
            body(self.machine) { result in
                guard box.set(result) else { return }
                finished.signal()
            }
        }
        MainRunLoop.wait(for: finished)
        return try box.get()
    }
}

/// A value passed to the VM's queue by its only user.
private struct Handed<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A result handed from the VM queue to a waiting thread.
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, Error>?

    /// False when a result was already set (a handler called twice).
    func set(_ value: Result<T, Error>) -> Bool {
        lock.locked {
            guard result == nil else { return false }
            result = value
            return true
        }
    }

    func get() throws -> T {
        guard let result = lock.locked({ result }) else { throw VZMachineQueue.noMachine }
        return try result.get()
    }
}

/// Forwards the two delegate calls the backend needs.
final class VZMachineDelegate: NSObject, VZVirtualMachineDelegate {
    private let stopped: (Error?) -> Void

    /// `stopped(nil)`: the guest turned itself off; `stopped(error)`: the VM stopped on an error.
    init(stopped: @escaping (Error?) -> Void) {
        self.stopped = stopped
        super.init()
    }

    func guestDidStop(_ virtualMachine: VZVirtualMachine) {
        stopped(nil)
    }

    func virtualMachine(_ virtualMachine: VZVirtualMachine, didStopWithError error: Error) {
        stopped(error)
    }
}
#endif
