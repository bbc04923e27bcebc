import Foundation

/// The serve side of shared folders, Rosetta, nested virtualization and the keyboard:
/// `vm/create` and `vm/configure` params into config.json, checked against this host, and back
/// out in VMInfo.
extension VMService {
    static func applyFeatures(_ p: VMCreateParams, to config: inout VMConfig, host: () -> FeatureHost) throws {
        config.shares = try ShareRules.add(p.shares ?? [], to: [], vmName: p.name)
        config.rosetta = p.rosetta ?? false
        config.nestedVirtualization = p.nestedVirtualization ?? false
        config.keyboard = p.keyboard
        if GuestFeatures.anySet(config) { try GuestFeatures.check(config, name: p.name, host: host()) }
    }

    static func applyFeatures(_ p: VMConfigureParams, to config: inout VMConfig, host: () -> FeatureHost) throws {
        if let tags = p.removeShares { config.shares = try ShareRules.remove(tags, from: config.shares, vmName: p.name) }
        if let added = p.addShares { config.shares = try ShareRules.add(added, to: config.shares, vmName: p.name) }
        if let on = p.rosetta { config.rosetta = on }
        if let on = p.nestedVirtualization { config.nestedVirtualization = on }
        if let keyboard = p.keyboard { config.keyboard = keyboard }
        // Only what this call turns on is checked: turning a feature off always works.
        var asked = config
        if p.rosetta != true { asked.rosetta = false }
        if p.nestedVirtualization != true { asked.nestedVirtualization = false }
        if p.keyboard == nil { asked.keyboard = nil }
        if GuestFeatures.anySet(asked) { try GuestFeatures.check(asked, name: p.name, host: host()) }
    }

    static func withFeatures(_ info: VMInfo, _ c: VMConfig) -> VMInfo {
        var info = info
        if !c.shares.isEmpty {
            info.shares = c.shares
            if HelperBuild.backend == .qemu { info.sharing = QEMUShareTransport.pick().info }
        }
        info.rosetta = c.rosetta ? true : nil
        info.nestedVirtualization = c.nestedVirtualization ? true : nil
        info.keyboard = c.keyboard
        return info
    }
}

extension VMInfo {
    func featuring(_ c: VMConfig) -> VMInfo { VMService.withFeatures(self, c) }
}
