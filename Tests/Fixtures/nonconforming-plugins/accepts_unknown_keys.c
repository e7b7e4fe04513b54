/*
 * accepts_unknown_keys.c -- a create that ignores keys it does not know.
 *
 * breaks: unknown-key-refused
 *
 * The header: "Unknown keys and out-of-range values are errors." This
 * create refuses text that is not an object ({...}) but accepts any keys
 * in it, so a typo in a run config would silently be ignored.
 */
#define FIXTURE_ID "accepts-unknown-keys"
#define FIXTURE_SUMMARY "accepts any JSON object as its config"
#define FIXTURE_HAS_CREATE
#include "conforming.h"

#include <string.h>

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    const char *start = fixture_skip_space(config_json);
    size_t length = strlen(start);
    (void)plugin;
    (void)host;
    (void)fixture_is_empty_object; /* the base's parser, not used here */
    while (length > 0 && (start[length - 1] == ' ' || start[length - 1] == '\n'))
        length--;
    if (length < 2 || start[0] != '{' || start[length - 1] != '}')
        return fixture_refuse(error, ASSAY_ERROR_CONFIG,
                              FIXTURE_ID " config: expected a JSON object");
    *instance = &fixture_instance_token;
    return ASSAY_OK;
}
