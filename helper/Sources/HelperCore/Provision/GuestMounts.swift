import Foundation

/// What a cloud-init guest runs at every boot (`bootcmd`, so shares added later by
/// `vm/configure` are mounted at the next boot): each share at /mnt/TAG (virtiofs, else 9p), and
/// for Rosetta the share at /media/rosetta registered with binfmt_misc as Apple documents.
public enum GuestMounts {
    public static func mountPoint(_ tag: String) -> String { "/mnt/\(tag)" }
    public static let rosettaMountPoint = "/media/rosetta"

    /// Apple's update-binfmts line (magic, mask, --credentials yes --preserve no --fix-binary yes)
    /// as a binfmt_misc registration, so the guest needs no binfmt-support package.
    public static let rosettaRegistration = #":rosetta:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/media/rosetta/rosetta:CF"#

    /// Shell commands, one a share. Tags are plain words (ShareRules), so they need no quoting.
    public static func bootCommands(shares: [SharedFolder], rosetta: Bool) -> [String] {
        var commands = shares.map { share -> String in
            let at = mountPoint(share.tag)
            return "mkdir -p \(at) && { mountpoint -q \(at) || mount -t virtiofs \(share.tag) \(at) || "
                + "mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 \(share.tag) \(at) || "
                + "echo 'vmtui: could not mount the share \(share.tag)' >&2; }"
        }
        if rosetta {
            let at = rosettaMountPoint, binfmt = "/proc/sys/fs/binfmt_misc"
            commands.append("mkdir -p \(at) && { mountpoint -q \(at) || mount -t virtiofs \(VZConfigurationPlan.rosettaTag) \(at); } && "
                + "{ mountpoint -q \(binfmt) || mount -t binfmt_misc binfmt_misc \(binfmt); } && "
                + "{ [ -e \(binfmt)/rosetta ] || printf '%s' '\(rosettaRegistration)' >\(binfmt)/register; }")
        }
        return commands
    }
}
