/*
 * no_entry.c -- a well-formed shared library that is not an Assay plugin.
 *
 * It loads cleanly with dlopen and exports a function, but not the symbol
 * assay_plugin_entry. The host must report the file as unusable ("no
 * symbol assay_plugin_entry") instead of crashing or silently skipping it.
 * The header is included only for ASSAY_EXPORT, which makes the function
 * visible exactly as a real entry point would be.
 */
#include "assay_plugin.h"

ASSAY_EXPORT int assay_plugin_entry_missing(void);

/* Close to the real name on purpose: only the exact symbol counts. */
ASSAY_EXPORT int assay_plugin_entry_missing(void)
{
    return ASSAY_ABI_MAJOR;
}
