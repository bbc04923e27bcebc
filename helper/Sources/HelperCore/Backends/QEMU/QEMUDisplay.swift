/// The display part of a qemu command line, kept apart from the rest of the builder.
/// x86: standard VGA, which OVMF's GOP driver and GRUB both draw on; arm64's virt machine has no
/// VGA, so virtio-gpu there. The VNC server listens on a unix socket in the bundle: only users who
/// can open the bundle can connect, so it needs no password (PROTOCOL.md, "Screen"). Or, asked for,
/// on 127.0.0.1 at the first free port from 5900 with `password=on`: no one gets in until the host
/// sets the password it makes at each start (QEMUScreen.swift).
enum QEMUDisplay {
    static let vncSocket = "vnc.sock"

    static func arguments(display: DisplaySize?, arch: String, vnc: VNCServerKind = .socket) -> [String] {
        guard let d = display else { return [] }
        let device = arch == "arm64"
            ? "virtio-gpu-pci,xres=\(d.width),yres=\(d.height)"
            : "VGA,xres=\(d.width),yres=\(d.height),edid=on"
        // A USB tablet gives absolute pointer positions; the PS/2 keyboard of q35 takes send-key.
        let server = vnc == .tcp ? "127.0.0.1:0,to=99,password=on" : "unix:\(vncSocket)"
        var a = ["-device", device, "-vnc", server]
        if arch == "arm64" { a += ["-device", "qemu-xhci", "-device", "usb-kbd"] }
        return a
    }
}
