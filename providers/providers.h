/*
 * Provider descriptors and the few helpers every provider shares.
 * One file per provider (or protocol family) in this directory; the one
 * table is in providers.c.
 */
#ifndef PROVIDERS_H
#define PROVIDERS_H

#include "../ddnsup.h"

extern const struct provider provider_aliyun;
extern const struct provider provider_callback;
extern const struct provider provider_cloudflare;
extern const struct provider provider_dnsla;
extern const struct provider provider_duckdns;
extern const struct provider provider_dnspod;
extern const struct provider provider_dyndns2;
extern const struct provider provider_edgeone;
extern const struct provider provider_huaweicloud;
extern const struct provider provider_rainyun;
extern const struct provider provider_route53;
extern const struct provider provider_tencentcloud;
extern const struct provider provider_volcengine;

/* Outcome for an HTTP status that is not the success the API documents:
 * 401/403 auth, 408/429/5xx temporary, 400/404/409/422 config, else protocol. */
enum outcome	 provider_status_outcome(long status);

/*
 * Send req; on transport failure return OUT_TEMPFAIL with *why set. On an
 * answer return OUT_CURRENT (meaning "look at resp", caller frees resp)
 * and copy a Retry-After into ctx->retry_after.
 */
enum outcome	 provider_send(const char *pname, const struct http_req *req,
		    struct http_resp *resp, struct push_ctx *ctx, char **why);

/*
 * The run's cache (ctx->cache), so several records in one zone cost one
 * lookup. get: 1 on a hit with *val malloc'd, or NULL for a remembered
 * "there is none"; 0 on a miss; -1 out of memory. put: remember val (NULL:
 * "there is none") under key; a failure only costs a later lookup.
 */
int		 provider_cache_get(const struct push_ctx *ctx, const char *key,
		    char **val);
void		 provider_cache_put(struct push_ctx *ctx, const char *key,
		    const char *val);

/* 1 if s has a control character (it would break a header or a URL). */
int		 provider_has_ctl(const char *s);

/*
 * Split name into its zone (the configured zone, else the last two
 * labels) and the part before it, "@" for the apex, as the Chinese clouds'
 * APIs want them. 0 with *zonep and *rr malloc'd, or -1 with *why
 * (malloc'd) saying what is wrong.
 */
int		 provider_split_name(const char *name, const char *zone,
		    char **zonep, char **rr, char **why);

#endif /* PROVIDERS_H */
