// Stand-ins for the Objective-C runtime calls the helper makes (VZPrivateVNC.swift), declared as
// Apple's ObjectiveC module (and Foundation, for NSSelectorFromString) declares them, so the
// Darwin check type-checks that code on Linux. Never linked or run.

/// Apple: `struct Selector` wrapping a `SEL`, made from a name.
public struct Selector: Equatable, Hashable {
    private let sel: OpaquePointer
    public init(_ str: String) { standIn() }
}

/// Apple: `typealias IMP = OpaquePointer`.
public typealias IMP = OpaquePointer

/// Apple (Foundation): `func NSSelectorFromString(_ aSelectorName: String) -> Selector`.
public func NSSelectorFromString(_ aSelectorName: String) -> Selector { standIn() }

public func class_getMethodImplementation(_ cls: AnyClass?, _ name: Selector) -> IMP? { standIn() }
public func class_respondsToSelector(_ cls: AnyClass?, _ sel: Selector) -> Bool { standIn() }
public func object_getClass(_ obj: Any?) -> AnyClass? { standIn() }

private func standIn() -> Never { fatalError("Darwin check stand-in: type-checked, never run") }
