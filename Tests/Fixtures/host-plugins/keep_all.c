/*
 * keep_all.c -- plugin "keep-all": a RULE verifier that keeps every pair,
 * so it selects like no selection at all (phi = psi = 1, p* = 1/2).
 */
#define FIXTURE_ID "keep-all"
#define FIXTURE_SUMMARY "keeps every pair"
#include "../bad-plugins/fixture.h"
