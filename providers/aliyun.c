/* STUB: being written; replaced by the real provider. */
#include "providers.h"

static const struct provider_key keys[] = { { NULL, 0 } };

static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	(void)rec; (void)addr; (void)ctx;
	*why = xasprintf("aliyun: not implemented yet");
	return OUT_CONFIG;
}

const struct provider provider_aliyun = { "aliyun", keys, push };
