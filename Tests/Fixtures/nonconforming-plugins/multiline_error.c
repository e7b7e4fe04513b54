/*
 * multiline_error.c -- a create whose error message is two lines.
 *
 * breaks: error-one-line
 *
 * The header: the error is "a one-line, NUL-terminated message". This one
 * refuses a config other than {} as the base does, but puts a line break
 * between what was wrong and what was expected.
 */
#define FIXTURE_ID "multiline-error"
#define FIXTURE_SUMMARY "refuses configs with a two-line message"
#define FIXTURE_HAS_CREATE
#include "conforming.h"

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)host;
    if (!fixture_is_empty_object(config_json))
        return fixture_refuse(error, ASSAY_ERROR_CONFIG,
                              FIXTURE_ID " config: unexpected keys\nexpected {}; this plugin has no keys");
    *instance = &fixture_instance_token;
    return ASSAY_OK;
}
