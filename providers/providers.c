/*
 * The provider table: one line per provider, sorted by name (a unit test
 * checks the order, uniqueness and that each is in the man page).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"

const struct provider *const providers[] = {
	&provider_aliyun,
	&provider_callback,
	&provider_cloudflare,
	&provider_dnsla,
	&provider_dnspod,
	&provider_duckdns,
	&provider_dyndns2,
	&provider_edgeone,
	&provider_huaweicloud,
	&provider_rainyun,
	&provider_route53,
	&provider_tencentcloud,
	&provider_volcengine,
	NULL
};

/* The descriptor called name, or NULL. */
const struct provider *
provider_find(const char *name)
{
	size_t	 i;

	for (i = 0; providers[i] != NULL; i++)
		if (strcmp(providers[i]->name, name) == 0)
			return providers[i];
	return NULL;
}

/* Outcome for a status that is not the documented success. */
enum outcome
provider_status_outcome(long status)
{
	if (status == 401 || status == 403)
		return OUT_AUTH;
	if (status == 408 || status == 429 || status >= 500)
		return OUT_TEMPFAIL;
	if (status == 400 || status == 404 || status == 409 || status == 422)
		return OUT_CONFIG;
	return OUT_PROTOCOL;
}

/* OUT_CURRENT when resp holds an answer (caller frees), else OUT_TEMPFAIL. */
enum outcome
provider_send(const char *pname, const struct http_req *req,
    struct http_resp *resp, struct push_ctx *ctx, char **why)
{
	char	*err = NULL;

	if (http_request(req, resp, &err) == -1) {
		*why = xasprintf("%s: %s", pname, err ? err : "request failed");
		free(err);
		return OUT_TEMPFAIL;
	}
	if (resp->retry_after > ctx->retry_after)
		ctx->retry_after = resp->retry_after;
	return OUT_CURRENT;
}

/* 1 if s has a control character, else 0. */
int
provider_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Split name into zone and relative part; see providers.h. */
int
provider_split_name(const char *name, const char *zone, char **zonep,
    char **rr, char **why)
{
	const char	*p;
	size_t		 nl, zl;
	int		 dots = 0;

	*zonep = *rr = NULL;
	*why = NULL;
	nl = strlen(name);
	if (zone == NULL) {
		/* The last two labels. */
		for (p = name + nl; p > name; p--)
			if (p[-1] == '.' && ++dots == 2)
				break;
		zone = p;
		if (dots == 0) {
			*why = xasprintf("\"%s\" has no zone: set \"zone\"",
			    name);
			return -1;
		}
	}
	zl = strlen(zone);
	while (zl > 0 && zone[zl - 1] == '.')		/* "example.com." */
		zl--;
	if (zl == 0 || zl > nl || strncasecmp(name + nl - zl, zone, zl) != 0 ||
	    (zl < nl && name[nl - zl - 1] != '.')) {
		*why = xasprintf("\"%s\" is not in zone \"%.*s\"", name,
		    (int)zl, zone);
		return -1;
	}
	*zonep = strndup(zone, zl);
	*rr = zl == nl ? strdup("@") : strndup(name, nl - zl - 1);
	if (*zonep == NULL || *rr == NULL) {
		free(*zonep);
		free(*rr);
		*zonep = *rr = NULL;
		*why = xasprintf("out of memory");
		return -1;
	}
	return 0;
}

/* Cached value of key; see providers.h. */
int
provider_cache_get(const struct push_ctx *ctx, const char *key, char **val)
{
	json_t	*hit;

	*val = NULL;
	if (ctx->cache == NULL || (hit = json_object_get(ctx->cache, key)) ==
	    NULL)
		return 0;
	if (json_is_string(hit) &&
	    (*val = strdup(json_string_value(hit))) == NULL)
		return -1;
	return 1;
}

/* Remember val (NULL: none) under key for the rest of the run. */
void
provider_cache_put(struct push_ctx *ctx, const char *key, const char *val)
{
	if (ctx->cache != NULL)
		json_object_set_new(ctx->cache, key, val != NULL ?
		    json_string(val) : json_null());
}
