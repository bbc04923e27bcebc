import Foundation

extension VMBackend {
    /// By default none: QEMU's user networking gives the guest an address the host cannot reach,
    /// so `sshAddress` (the forwarded port) is what users need there.
    public var reportedGuestAddress: GuestAddress? { nil }
}
