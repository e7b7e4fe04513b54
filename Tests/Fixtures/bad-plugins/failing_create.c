/*
 * failing_create.c -- a valid verifier whose create always fails.
 *
 * Plugin "failing-create" loads and lists normally, but create returns
 * ASSAY_ERROR_CONFIG with the message "failing-create: this plugin always
 * refuses its config", whatever the config. The host must stop with that
 * message (naming the plugin), must not use the instance pointer, and must
 * not call destroy for an instance that was never made.
 */
#include <stdio.h>

#define FIXTURE_ID "failing-create"
#define FIXTURE_SUMMARY "refuses every config"
#define FIXTURE_HAS_CREATE
#include "fixture.h"

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)config_json;
    (void)host;
    (void)instance;
    if (error)
        snprintf(error->message, sizeof error->message, "%s",
                 "failing-create: this plugin always refuses its config");
    return ASSAY_ERROR_CONFIG;
}
