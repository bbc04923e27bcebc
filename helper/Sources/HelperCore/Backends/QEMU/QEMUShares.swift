import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a QEMU guest gets its shared folders: virtiofs (one virtiofsd per share, supervised by the
/// per-VM host) where virtiofsd is installed, else QEMU's own 9p server.
public enum QEMUShareTransport: Equatable, Sendable {
    case virtiofs(virtiofsd: String)
    case ninep

    /// Debian's virtiofsd package puts it in /usr/libexec; older QEMU packages in /usr/lib/qemu.
    static let virtiofsdPlaces = ["/usr/libexec/virtiofsd", "/usr/lib/qemu/virtiofsd", "/usr/lib/virtiofsd"]

    /// `VMTUI_VIRTIOFSD`: the virtiofsd to use, or "none" for 9p; else the first one found.
    public static func pick(path: String? = ProcessInfo.processInfo.environment["PATH"],
                            chosen: String? = ProcessInfo.processInfo.environment["VMTUI_VIRTIOFSD"],
                            executable: (String) -> Bool = { access($0, X_OK) == 0 }) -> QEMUShareTransport {
        if chosen == "none" { return .ninep }
        if let chosen, !chosen.isEmpty, executable(chosen) { return .virtiofs(virtiofsd: chosen) }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") where executable("\(dir)/virtiofsd") {
            return .virtiofs(virtiofsd: "\(dir)/virtiofsd")
        }
        if let found = virtiofsdPlaces.first(where: executable) { return .virtiofs(virtiofsd: found) }
        return .ninep
    }

    public static let ninepNote = "Shared folders go through 9p, because virtiofsd is not installed on this host (Debian and Ubuntu: apt install virtiofsd); 9p is slower, and guests mount it with 'mount -t 9p -o trans=virtio,version=9p2000.L TAG /mnt/TAG'."

    public var info: ShareTransportInfo {
        switch self {
        case .virtiofs: return ShareTransportInfo(transport: "virtiofs")
        case .ninep: return ShareTransportInfo(transport: "9p", note: Self.ninepNote)
        }
    }
}

/// The qemu and virtiofsd arguments for a guest's shares. Sockets are relative to the bundle,
/// the working directory of both, which keeps them short.
public enum QEMUShares {
    public static func socketName(_ index: Int) -> String { "virtiofs-\(index).sock" }

    /// virtiofs needs the guest's memory shared with virtiofsd; 9p does not.
    public static func arguments(_ shares: [SharedFolder], transport: QEMUShareTransport, memoryMiB: UInt64) -> [String] {
        guard !shares.isEmpty else { return [] }
        var a: [String] = []
        switch transport {
        case .virtiofs:
            a += ["-object", "memory-backend-memfd,id=mem0,size=\(memoryMiB)M,share=on", "-numa", "node,memdev=mem0"]
            for (i, share) in shares.enumerated() {
                a += ["-chardev", "socket,id=vfs\(i),path=\(socketName(i))"]
                a += ["-device", "vhost-user-fs-pci,chardev=vfs\(i),tag=\(share.tag)"]
            }
        case .ninep:
            for (i, share) in shares.enumerated() {
                // security_model=none: guest and host see the same owners and modes; files the
                // guest makes belong to the user who runs the VM.
                let ro = share.readOnly ? ",readonly=on" : ""
                a += ["-fsdev", "local,id=fs\(i),path=\(commaEscaped(share.path)),security_model=none\(ro)"]
                a += ["-device", "virtio-9p-pci,fsdev=fs\(i),mount_tag=\(share.tag)"]
            }
        }
        return a
    }

    /// One virtiofsd's arguments (no --tag: QEMU 7.1 to 8.0 crash on it). It runs as the user who runs the VM, so `--sandbox none`: the
    /// guest reaches what that user may, and no more.
    public static func virtiofsdArguments(_ share: SharedFolder, index: Int) -> [String] {
        var a = ["--socket-path", socketName(index), "--shared-dir", share.path,
                 "--sandbox", "none", "--cache", "auto"]
        if share.readOnly { a.append("--readonly") }
        return a
    }

    /// qemu's option syntax doubles a comma inside a value.
    static func commaEscaped(_ value: String) -> String { value.replacingOccurrences(of: ",", with: ",,") }
}
