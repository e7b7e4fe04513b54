/*
 * upper_case_id.c -- a plugin whose id is not lower-case.
 *
 * breaks: id-well-formed
 *
 * The header: the id is "stable, lower-case, e.g. "oracle"". This one is
 * the base under the id "Upper-Case".
 */
#define FIXTURE_ID "Upper-Case"
#define FIXTURE_SUMMARY "the base under an id with capitals"
#include "conforming.h"
