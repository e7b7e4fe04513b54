/*
 * conforming_top_fraction.c -- the base as a TOP_FRACTION verifier.
 *
 * breaks: nothing
 *
 * Scores each pair by y'[0] * x[0] and asks for the top quarter: the
 * control for the rules of the scoring path.
 */
#define FIXTURE_ID "conforming-top-fraction"
#define FIXTURE_SUMMARY "scores pairs by y'[0] * x[0] and keeps the top quarter"
#define FIXTURE_MODE ASSAY_SELECT_TOP_FRACTION
#define FIXTURE_FRACTION 0.25
#include "conforming.h"
