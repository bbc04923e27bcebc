// The Swift part of the Darwin stand-in: what Apple's Darwin overlay adds to the C declarations
// (errno as a variable, fcntl's Swift forms, since C variadics do not import). Bodies trap:
// this module is only type-checked (scripts/check-darwin.sh), never run.
@_exported import CDarwin

public var errno: Int32 {
    get { __error().pointee }
    set { __error().pointee = newValue }
}

public func fcntl(_ fd: Int32, _ cmd: Int32) -> Int32 { fatalError("Darwin stand-in") }
public func fcntl(_ fd: Int32, _ cmd: Int32, _ value: Int32) -> Int32 { fatalError("Darwin stand-in") }
public func fcntl(_ fd: Int32, _ cmd: Int32, _ ptr: UnsafeMutableRawPointer) -> Int32 { fatalError("Darwin stand-in") }
