/*
 * wrong_major.c -- a plugin library from a future, incompatible ABI.
 *
 * Its table declares abi_major = ASSAY_ABI_MAJOR + 1 and otherwise looks
 * entirely plausible: one verifier, id "future", that keeps every pair.
 * The host must read only abi_major and abi_minor (whose place never
 * changes), refuse the library with a message naming both versions, and
 * never call create or read past those fields.
 */
#define FIXTURE_ID "future"
#define FIXTURE_VERSION "2.0.0"
#define FIXTURE_SUMMARY "keeps every pair, but speaks the next major ABI"
#define FIXTURE_ABI_MAJOR (ASSAY_ABI_MAJOR + 1)
#define FIXTURE_ABI_MINOR 0
#include "fixture.h"
