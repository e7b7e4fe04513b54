/* Compiles the contract on every build and pins the layout of the fields
 * that must never move: the first three fields of assay_library are read by
 * hosts of every ABI version. */
#include "assay_plugin.h"

_Static_assert(offsetof(assay_library, abi_major) == 0, "abi_major moved");
_Static_assert(offsetof(assay_library, abi_minor) == 4, "abi_minor moved");
_Static_assert(offsetof(assay_library, struct_size) == 8, "struct_size moved");
_Static_assert(offsetof(assay_batch, struct_size) == 0, "batch size moved");
_Static_assert(offsetof(assay_plugin, struct_size) == 0, "plugin size moved");
_Static_assert(sizeof(assay_error) == ASSAY_ERROR_CAPACITY, "error padded");
