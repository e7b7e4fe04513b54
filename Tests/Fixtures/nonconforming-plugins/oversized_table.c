/*
 * oversized_table.c -- a call table that claims more bytes than it has.
 *
 * breaks: struct-sizes
 *
 * The header: struct_size is "sizeof(the struct) as *it* was compiled".
 * This library says it is ABI 1.1, whose assay_verifier is the header's,
 * but writes sizeof + 8 into the call table's struct_size, as if it had a
 * field 1.1 does not (a host of a later minor would read that field from
 * whatever follows the table).
 */
#define FIXTURE_ID "oversized-table"
#define FIXTURE_SUMMARY "the base with its verifier table's struct_size 8 bytes too large"
#define FIXTURE_VERIFIER_SIZE (sizeof(assay_verifier) + 8)
#include "conforming.h"
