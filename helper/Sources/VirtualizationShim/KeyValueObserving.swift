// Foundation's Swift KVO API, which swift-corelibs-foundation does not have. The backend observes
// VZVirtualMachine.state and VZMacOSInstaller.progress.fractionCompleted with it; on macOS it is
// Foundation's own. Declared as Apple's Foundation overlay declares it, members trimmed to the
// ones the backend uses.
#if os(Linux)
import Foundation

public struct NSKeyValueObservingOptions: OptionSet, Sendable {
    public let rawValue: UInt
    public init(rawValue: UInt) { self.rawValue = rawValue }
    public static var new: NSKeyValueObservingOptions { unavailable() }
}

public struct NSKeyValueObservedChange<Value> {}

open class NSKeyValueObservation: NSObject {
    open func invalidate() { unavailable() }
}

public protocol _KeyValueCodingAndObserving {}

extension NSObject: _KeyValueCodingAndObserving {}

extension _KeyValueCodingAndObserving {
    public func observe<Value>(
        _ keyPath: KeyPath<Self, Value>,
        options: NSKeyValueObservingOptions = [],
        changeHandler: @escaping (Self, NSKeyValueObservedChange<Value>) -> Void
    ) -> NSKeyValueObservation { unavailable() }
}

#endif
