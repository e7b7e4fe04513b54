/* libffi as seen from Swift: the header, plus accessors for the few things
 * Swift cannot reach directly (the addresses of the ffi_type globals and
 * the platform's default ABI, a macro). */
#ifndef ASSAY_CFFI_SHIM_H
#define ASSAY_CFFI_SHIM_H

#include <ffi.h>

static inline ffi_type *assay_ffi_void(void) { return &ffi_type_void; }
static inline ffi_type *assay_ffi_double(void) { return &ffi_type_double; }
static inline ffi_type *assay_ffi_pointer(void) { return &ffi_type_pointer; }
static inline ffi_type *assay_ffi_uint8(void) { return &ffi_type_uint8; }
static inline ffi_type *assay_ffi_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *assay_ffi_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *assay_ffi_uint64(void) { return &ffi_type_uint64; }
static inline ffi_type *assay_ffi_slong(void) { return &ffi_type_slong; }
static inline ffi_type *assay_ffi_size(void) {
    return sizeof(size_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32;
}

/* ffi_prep_cif with the platform's default calling convention. */
static inline ffi_status assay_ffi_prep_cif(ffi_cif *cif, unsigned int nargs,
                                            ffi_type *rtype, ffi_type **atypes) {
    return ffi_prep_cif(cif, FFI_DEFAULT_ABI, nargs, rtype, atypes);
}

#endif
