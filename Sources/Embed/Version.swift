import Foundation
import PluginAPI

@_cdecl("assay_host_abi_version")
public func assayHostABIVersion() -> UInt32 {
    UInt32(ASSAY_HOST_ABI_MAJOR) << 16 | UInt32(ASSAY_HOST_ABI_MINOR)
}

/// Strings handed to the caller are strdup'd, so free() releases them; the
/// call exists so that callers never need to know which allocator that is.
@_cdecl("assay_string_free")
public func assayStringFree(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
