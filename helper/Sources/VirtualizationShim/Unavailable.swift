// VirtualizationShim: the part of Apple's Virtualization.framework that vmtui's VZ backend uses,
// declared with Apple's Swift signatures and availability so that the backend compiles, and is
// type-checked, on Linux. Nothing here runs: every body traps. On macOS the backend imports the
// real framework instead (`#if canImport(Virtualization)`), and this module is not linked.
//
// Keep it to exactly what Backends/VZ uses. Superclasses appear only where the backend relies on
// them (an array's element type, a property's type); Apple's NS_UNAVAILABLE `init()` on abstract
// classes is not modelled.
#if os(Linux)

/// Every member of this module ends here.
@usableFromInline
func unavailable() -> Never {
    fatalError("Virtualization.framework is macOS-only")
}

#endif
