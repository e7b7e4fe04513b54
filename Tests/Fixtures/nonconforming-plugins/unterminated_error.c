/*
 * unterminated_error.c -- a create whose error message has no NUL.
 *
 * breaks: error-nul-terminated
 *
 * The header: the message is "NUL-terminated, truncated to fit". This one
 * refuses a config other than {} as the base does, but fills all
 * ASSAY_ERROR_CAPACITY bytes with text and leaves no room for the NUL.
 */
#define FIXTURE_ID "unterminated-error"
#define FIXTURE_SUMMARY "refuses configs with a message of 512 bytes and no NUL"
#define FIXTURE_HAS_CREATE
#include "conforming.h"

#include <string.h>

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)host;
    (void)fixture_refuse; /* the base's one-line refusal, not used here */
    if (!fixture_is_empty_object(config_json)) {
        memset(error->message, 'x', sizeof error->message);
        memcpy(error->message, FIXTURE_ID " config: expected {} ", sizeof FIXTURE_ID " config: expected {} " - 1);
        return ASSAY_ERROR_CONFIG;
    }
    *instance = &fixture_instance_token;
    return ASSAY_OK;
}
