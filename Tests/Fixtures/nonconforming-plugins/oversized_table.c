/*
 * oversized_table.c -- a call table that claims more bytes than it has.
 *
 * breaks: struct-sizes
 *
 * The header: struct_size is "sizeof(the struct) as *it* was compiled".
 * This library says it is ABI 1.1, whose structs are the header's, but
 * writes sizeof + 8 into every struct_size, as if each had a field 1.1
 * does not (a host of a later minor would read that field from whatever
 * follows the struct).
 */
#define FIXTURE_ID "oversized-table"
#define FIXTURE_SUMMARY "the base with every struct_size 8 bytes too large"
#define FIXTURE_SIZE(type, last_field) (sizeof(type) + 8)
#include "conforming.h"
