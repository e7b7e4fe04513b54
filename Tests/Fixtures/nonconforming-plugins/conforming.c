/*
 * conforming.c -- the base of this folder's fixtures, breaking nothing.
 *
 * breaks: nothing
 *
 * `assay check` must pass it on every rule: the control that shows a
 * fixture's failure comes from what the fixture changes.
 */
#define FIXTURE_ID "conforming"
#define FIXTURE_SUMMARY "keeps pairs with y'[0] * x[0] > 0; conforms to every rule"
#include "conforming.h"
