/*
 * old_minor.c -- a valid verifier as a 1.0 build describes itself.
 *
 * Plugin "old-minor" keeps every pair (RULE mode). Its library table
 * declares abi_minor 0, and every struct_size it writes is computed as
 * "offset of the last 1.0 field + its size" rather than sizeof. Today both
 * are equal, so the fixture only checks that the host accepts it; it
 * exists to exercise the host's size-guarded reads, and starts to matter
 * when ABI 1.1 appends fields: then sizeof grows while these sizes do not,
 * and the host must load the library, skip the missing fields and run it
 * exactly as before. Keep the sizes written this way when the header grows.
 */
/* The size a 1.0 build covers: up to and including its last field. */
#define FIXTURE_SIZE(type, last_field) \
    (offsetof(type, last_field) + sizeof(((const type *)0)->last_field))
#define FIXTURE_ID "old-minor"
#define FIXTURE_SUMMARY "keeps every pair; describes itself as ABI 1.0"
#define FIXTURE_ABI_MINOR 0
#include "fixture.h"
