import Foundation

/// What cloud-init's NoCloud datasource reads from the `cidata` volume: `meta-data` (instance-id,
/// hostname) and `user-data` (the user, keys and hostname as #cloud-config; a user's own user-data
/// rides along as the second part of a MIME multipart, so both apply). Public keys only: the seed
/// never holds a private key.
public enum NoCloudSeed {
    /// The volume's bytes (FAT12, label CIDATA).
    public static func image(vmName: String, provision: ProvisionConfig, bootCommands: [String] = [], date: Date = Date()) throws -> Data {
        try FATImage.make(label: "CIDATA", files: [
            .init(name: "meta-data", contents: Data(metaData(vmName: vmName, instanceId: provision.instanceId).utf8)),
            .init(name: "user-data", contents: Data(try userData(vmName: vmName, provision: provision, bootCommands: bootCommands).utf8)),
        ], date: date)
    }

    public static func metaData(vmName: String, instanceId: String) -> String {
        "instance-id: \(yaml(instanceId))\nlocal-hostname: \(yaml(hostname(vmName)))\n"
    }

    /// vmtui's #cloud-config alone, or with the user's user-data as a multipart message.
    /// `bootCommands` run at every boot (GuestMounts).
    public static func userData(vmName: String, provision: ProvisionConfig, bootCommands: [String] = []) throws -> String {
        let own = cloudConfig(vmName: vmName, provision: provision, bootCommands: bootCommands)
        guard let theirs = provision.userData else { return own }
        let type = try contentType(ofUserData: theirs)
        let boundary = "vmtui-" + UUID().uuidString
        return """
        Content-Type: multipart/mixed; boundary="\(boundary)"
        MIME-Version: 1.0

        --\(boundary)
        Content-Type: text/cloud-config; charset="utf-8"
        MIME-Version: 1.0
        Content-Disposition: attachment; filename="vmtui.cfg"

        \(own)
        --\(boundary)
        Content-Type: \(type); charset="utf-8"
        MIME-Version: 1.0
        Content-Disposition: attachment; filename="user-data"

        \(theirs)\(theirs.hasSuffix("\n") ? "" : "\n")
        --\(boundary)--

        """
    }

    /// The hostname, the user with passwordless sudo and its keys, a new machine-id once per
    /// instance (Debian's cloud-init leaves /etc/machine-id alone, so a clone would keep its source's),
    /// and the root file system grown to its disk at every boot.
    static func cloudConfig(vmName: String, provision: ProvisionConfig, bootCommands: [String] = []) -> String {
        var lines = ["#cloud-config", "hostname: \(yaml(hostname(vmName)))", "users:",
                     "  - name: \(yaml(provision.user))",
                     "    sudo: \(yaml("ALL=(ALL) NOPASSWD:ALL"))",
                     "    shell: /bin/bash",
                     "    lock_passwd: true"]
        if !provision.sshAuthorizedKeys.isEmpty {
            lines.append("    ssh_authorized_keys:")
            lines += provision.sshAuthorizedKeys.map { "      - \(yaml($0))" }
        }
        lines += ["bootcmd:",
                  "  - [cloud-init-per, instance, vmtui-machine-id, sh, -c, \(yaml(newMachineId))]"]
        lines += bootCommands.map { "  - [sh, -c, \(yaml($0))]" }
        // After `vmtui configure --disk`, the root partition and file system grow at the next boot.
        // Both modules run at every boot (their frequency is "always"); said here so an image whose
        // cloud.cfg turned them off still grows.
        lines += ["growpart:", "  mode: auto", "  devices: [\"/\"]", "  ignore_growroot_disabled: false", "resize_rootfs: true"]
        return lines.joined(separator: "\n") + "\n"
    }

    static let newMachineId = "rm -f /etc/machine-id /var/lib/dbus/machine-id && tr -d - </proc/sys/kernel/random/uuid >/etc/machine-id"

    /// cloud-init picks a part's handler by its first line; the same table as its own.
    static func contentType(ofUserData text: String) throws -> String {
        let first = text.prefix(while: { $0 != "\n" }).trimmingCharacters(in: .whitespaces)
        let table: [(String, String)] = [
            ("#cloud-config-archive", "text/cloud-config-archive"), ("#cloud-config", "text/cloud-config"),
            ("#include-once", "text/x-include-once-url"), ("#include", "text/x-include-url"),
            ("#cloud-boothook", "text/cloud-boothook"), ("#part-handler", "text/part-handler"),
            ("## template: jinja", "text/jinja2"), ("#!", "text/x-shellscript"),
        ]
        if let match = table.first(where: { first.lowercased().hasPrefix($0.0) }) { return match.1 }
        throw HelperError.invalidParams(field: "userData", message: "The user-data does not start with a line cloud-init knows ('#cloud-config', '#!' for a script, '#include', '#cloud-boothook'...), so the guest would ignore it; add that first line.")
    }

    /// A VM name made a hostname: letters, digits and '-' (other characters become '-'), at most 63.
    static func hostname(_ vmName: String) -> String {
        let mapped = String(vmName.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(63))
        let trimmed = mapped.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "vm" : trimmed
    }

    /// A YAML scalar: JSON's double-quoted string is valid YAML.
    static func yaml(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
