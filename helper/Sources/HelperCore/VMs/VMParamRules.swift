import Foundation

/// The rules for `vm/create` and `vm/configure` params that need more than their types: boot
/// sources, disk sizes, restore images, paths made absolute; each refusal names its field.
extension VMService {
    /// `vm/configure`'s kernel, initrd and cmdline, for kernel-boot VMs; paths made absolute and
    /// checked (by checkBootFiles at the next start, and here at once).
    static func changedKernel(_ p: VMConfigureParams, _ boot: BootConfig) throws -> BootConfig {
        guard p.kernel != nil || p.initrd != nil || p.cmdline != nil else { return boot }
        guard case let .kernel(kernel, initrd, cmdline) = boot else {
            let field = p.kernel != nil ? "kernel" : p.initrd != nil ? "initrd" : "cmdline"
            throw HelperError.invalidParams(field: field, message: "VM '\(p.name)' boots with EFI from its disk or an ISO, not from a kernel, so it has no kernel, initrd or command line to change.")
        }
        func file(_ path: String, _ what: String, _ field: String) throws -> String {
            guard !path.isEmpty else { throw HelperError.invalidParams(field: field, message: "'\(field)' must name a file.") }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            guard FileOps.isRegularFile(absolute) else { throw HelperError.missingFile(what: what, path: absolute) }
            return absolute
        }
        let newKernel = try p.kernel.map { try file($0, "kernel", "kernel") } ?? kernel
        // An empty initrd removes it.
        let newInitrd = try p.initrd.map { $0.isEmpty ? nil : try file($0, "initrd", "initrd") } ?? initrd
        return .kernel(kernel: newKernel, initrd: newInitrd, cmdline: p.cmdline ?? cmdline)
    }

    /// The boot section: given, or for a VM made from an image, EFI from its own disk (so the
    /// guest's own kernel runs, and its upgrades take effect).
    static func boot(_ p: VMCreateParams, os: GuestOS) throws -> BootConfig {
        if p.image != nil {
            guard os == .linux else {
                throw HelperError.invalidParams(field: "image", message: "Disk images make Linux VMs; a macOS VM is made from a restore image ('ipsw').")
            }
            return p.boot ?? .efi(iso: nil)
        }
        guard let boot = p.boot else {
            throw HelperError.invalidParams(field: "boot", message: "A VM needs a way to boot: give 'boot' (a kernel, an ISO, or macOS) or an 'image' to make its disk from.")
        }
        return boot
    }

    /// The disk: as asked, else 16 GiB, or for an image its own size; an image never shrinks.
    static func diskSize(_ p: VMCreateParams, image: DiskImage?) throws -> UInt64 {
        guard let image else { return p.diskBytes ?? (16 << 30) }
        let asked = p.diskBytes ?? image.virtualSize
        guard asked >= image.virtualSize else {
            throw HelperError.invalidParams(field: "diskBytes", message: "The image \(image.path) holds a \(image.virtualSize)-byte disk, so the VM's disk cannot be \(asked) bytes; give a size of at least \(image.virtualSize) bytes (\(ByteText.of(image.virtualSize))), or leave the size out to keep the image's.")
        }
        return asked
    }

    /// A macOS VM is made from a local restore image; anything else takes none.
    static func restoreImage(_ p: VMCreateParams, os: GuestOS) throws -> String? {
        guard os == .macos else {
            if p.ipsw != nil {
                throw HelperError.invalidParams(field: "ipsw", message: "A restore image (ipsw) is for macOS guests only; drop it, or create the VM with os 'macos'.")
            }
            return nil
        }
        guard case .macOS? = p.boot else {
            throw HelperError.invalidParams(field: "boot", message: "macOS guests boot from their own disk; give boot kind 'macos'.")
        }
        guard let path = p.ipsw, !path.isEmpty else {
            throw HelperError.invalidParams(field: "ipsw", message: "A macOS VM is created from a restore image; give the path of a local .ipsw file (download one with 'vmtui ipsw download').")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileOps.isRegularFile(absolute) else { throw HelperError.missingFile(what: "restore image", path: absolute) }
        return absolute
    }

    static func absolutePaths(_ boot: BootConfig) throws -> BootConfig {
        func abs(_ path: String, _ field: String) throws -> String {
            guard !path.isEmpty else { throw HelperError.invalidParams(field: field, message: "'\(field)' must name a file.") }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        switch boot {
        case let .kernel(kernel, initrd, cmdline):
            return .kernel(kernel: try abs(kernel, "boot.kernel"), initrd: try initrd.map { try abs($0, "boot.initrd") }, cmdline: cmdline)
        case let .efi(iso):
            return .efi(iso: try iso.map { try abs($0, "boot.iso") })
        case .macOS:
            return .macOS
        }
    }
}
