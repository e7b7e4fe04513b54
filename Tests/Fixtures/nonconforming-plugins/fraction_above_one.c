/*
 * fraction_above_one.c -- a TOP_FRACTION verifier asking for 150 %.
 *
 * breaks: selection-valid
 *
 * The header: a top-fraction selection's fraction is "in (0, 1]". This
 * one scores as the base does and asks for a fraction of 1.5.
 */
#define FIXTURE_ID "fraction-above-one"
#define FIXTURE_SUMMARY "asks to keep the top 150 % of the pool"
#define FIXTURE_MODE ASSAY_SELECT_TOP_FRACTION
#define FIXTURE_FRACTION 1.5
#include "conforming.h"
