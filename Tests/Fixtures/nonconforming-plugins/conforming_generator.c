/*
 * conforming_generator.c -- the base of the generator fixtures, breaking nothing.
 *
 * breaks: nothing
 */
#define FIXTURE_ID "conforming-generator"
#define FIXTURE_SUMMARY "x: two normals, y: the sign of x[0]; conforms to every rule"
#include "conforming_generator.h"
