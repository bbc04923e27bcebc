import Foundation

extension NSLocking {
    /// Runs `body` holding the lock. (Foundation's own `withLock` is missing from macOS 13's SDK.)
    @inline(__always)
    func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
