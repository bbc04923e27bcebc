import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// KVM or TCG. /dev/kvm can exist on a CPU without vmx/svm; only creating a VM proves it works.
public enum QEMUAccelerator {
    public struct Choice: Equatable, Sendable {
        public var name: String   // "kvm" or "tcg"
        public var note: String   // a sentence for the user
    }

    public static func probe(device: String = "/dev/kvm") -> Choice {
        #if os(Linux)
        let fd = open(device, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            return Choice(name: "tcg", note: "KVM is not usable here (\(device): \(why)); guests run under TCG emulation, slowly.")
        }
        defer { close(fd) }
        let kvmCreateVM: UInt = 0xAE01
        let vm = ioctl(fd, kvmCreateVM, 0)
        guard vm >= 0 else {
            let why = String(cString: strerror(errno))
            return Choice(name: "tcg", note: "KVM is not usable here (creating a VM failed: \(why); the CPU may lack vmx/svm); guests run under TCG emulation, slowly.")
        }
        close(vm)
        return Choice(name: "kvm", note: "KVM hardware acceleration is available.")
        #else
        return Choice(name: "tcg", note: "KVM exists only on Linux; guests run under TCG emulation, slowly.")
        #endif
    }
}
