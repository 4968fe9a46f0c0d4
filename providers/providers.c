/*
 * The provider table: one line per provider, sorted by name (a unit test
 * checks the order, uniqueness and that each is in the man page).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"

const struct provider *const providers[] = {
	&provider_aliyun,
	&provider_baiducloud,
	&provider_callback,
	&provider_cloudflare,
	&provider_cloudns,
	&provider_desec,
	&provider_digitalocean,
	&provider_dnsexit,
	&provider_dnsimple,
	&provider_dnsla,
	&provider_dnsmadeeasy,
	&provider_dnspod,
	&provider_duckdns,
	&provider_dynadot,
	&provider_dyndns2,
	&provider_edgeone,
	&provider_esa,
	&provider_gandi,
	&provider_gcore,
	&provider_godaddy,
	&provider_hetzner,
	&provider_huaweicloud,
	&provider_infomaniak,
	&provider_inwx,
	&provider_ionos,
	&provider_linode,
	&provider_namecheap,
	&provider_namecom,
	&provider_namesilo,
	&provider_netcup,
	&provider_njalla,
	&provider_ns1,
	&provider_oneurl,
	&provider_ovh,
	&provider_porkbun,
	&provider_rainyun,
	&provider_rfc2136,
	&provider_route53,
	&provider_scaleway,
	&provider_spaceship,
	&provider_tencentcloud,
	&provider_vercel,
	&provider_volcengine,
	&provider_vultr,
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

/* Send a JSON API call; see providers.h. */
enum outcome
provider_json_send(const char *label, const struct record *rec,
    struct push_ctx *ctx, const char *method, const char *url,
    const char *const *extra, const char *userpwd, const char *body,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	const char	*hdrs[8];
	size_t		 n = 0;

	memset(resp, 0, sizeof(*resp));
	for (; extra != NULL && *extra != NULL; extra++) {
		if (n + 3 >= sizeof(hdrs) / sizeof(hdrs[0])) {
			*why = xasprintf("%s: too many headers", label);
			return OUT_TEMPFAIL;
		}
		hdrs[n++] = *extra;
	}
	hdrs[n++] = "Accept: application/json";
	if (body != NULL)
		hdrs[n++] = "Content-Type: application/json";
	hdrs[n] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.userpwd = userpwd;
	req.insecure = rec_bool(rec, "insecure", 0);
	return provider_send(label, &req, resp, ctx, why);
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

/* The API's base URL from "endpoint"; see providers.h. */
char *
provider_base_url(const char *ep, const char *dflt, char **why)
{
	char	*base;
	size_t	 n;

	*why = NULL;
	if (ep == NULL)
		ep = dflt;
	if ((strncasecmp(ep, "https://", 8) != 0 &&
	    strncasecmp(ep, "http://", 7) != 0) || provider_has_ctl(ep) ||
	    strpbrk(ep, "?# ") != NULL ||
	    strchr("/", strstr(ep, "://")[3]) != NULL) {	/* no host */
		*why = xasprintf("endpoint \"%s\" is not an http(s) URL", ep);
		return NULL;
	}
	if ((base = strdup(ep)) == NULL)
		return NULL;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	return base;
}

/* The record name relative to zone; see providers.h. */
char *
provider_relative(const char *name, const char *zone, const char *apex)
{
	size_t	 nl = strlen(name), zl = strlen(zone);

	if (nl <= zl + 1)
		return strdup(apex);
	return strndup(name, nl - zl - 1);
}

/* Whether a and b name the same address; see providers.h. */
int
provider_same_address(const char *a, const char *b)
{
	struct addr	 x, y;

	if (a == NULL || b == NULL)
		return 0;
	if (addr_parse(a, FAM_MAX, &x) == 0 && addr_parse(b, FAM_MAX, &y) == 0)
		return addr_equal(&x, &y);
	return strcmp(a, b) == 0;
}

/* Append s to buf, control characters as '?'; see providers.h. */
void
provider_append(char *buf, size_t sz, const char *s)
{
	size_t	 n = strlen(buf);

	for (; *s != '\0' && n + 1 < sz; s++)
		buf[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	buf[n] = '\0';
}

/* An id's decimal text, or NULL; see providers.h. */
char *
provider_json_id(json_t *v)
{
	const char	*s;
	size_t		 i;

	if (json_is_integer(v) && json_integer_value(v) > 0)
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return NULL;
	return i > 0 && i <= 20 ? strdup(s) : NULL;
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

/* One candidate through the cache; see provider_find_zone(). */
static enum outcome
zone_cached(struct push_ctx *ctx, const struct zone_walk *w, const char *cand,
    char **val, char **why)
{
	enum outcome	 out;
	char		*key, *p;
	int		 hit;

	*val = NULL;
	if ((key = xasprintf("%s:%s", w->cachepfx, cand)) == NULL) {
		*why = xasprintf("%s: out of memory", w->label);
		return OUT_TEMPFAIL;
	}
	for (p = key + strlen(w->cachepfx) + 1; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if ((hit = provider_cache_get(ctx, key, val)) == 1) {
		free(key);
		return OUT_CURRENT;
	}
	if (hit == -1) {
		free(key);
		*why = xasprintf("%s: out of memory", w->label);
		return OUT_TEMPFAIL;
	}
	if ((out = w->lookup(w->arg, cand, val, why)) == OUT_CURRENT)
		provider_cache_put(ctx, key, *val);
	free(key);
	return out;
}

/* The zone rec lives in; see providers.h. */
enum outcome
provider_find_zone(struct push_ctx *ctx, const struct record *rec,
    const struct zone_walk *w, char **zone, char **val, char **why)
{
	const char	*cand;
	char		 tried[512] = "";
	char		*z, *rel, *inner;
	enum outcome	 out;

	*zone = *val = *why = NULL;
	if (rec->zone != NULL) {
		/* Only to check the name is in it. */
		if (provider_split_name(rec->name, rec->zone, &z, &rel,
		    &inner) == -1) {
			ctx->hold = 1;
			*why = xasprintf("%s: %s", w->label, inner != NULL ?
			    inner : "out of memory");
			free(inner);
			return OUT_CONFIG;
		}
		free(z);
		free(rel);
		cand = rec->zone;
	} else
		cand = rec->name;
	for (;;) {
		/* A single label can only be a TLD: never ask for one. */
		if (strchr(cand, '.') == NULL)
			break;
		out = zone_cached(ctx, w, cand, val, why);
		if (out != OUT_CURRENT)
			return out;
		if (*val != NULL) {
			if ((*zone = strdup(cand)) != NULL)
				return OUT_CURRENT;
			free(*val);
			*val = NULL;
			*why = xasprintf("%s: out of memory", w->label);
			return OUT_TEMPFAIL;
		}
		if (tried[0] != '\0')
			provider_append(tried, sizeof(tried), ", ");
		provider_append(tried, sizeof(tried), cand);
		if (rec->zone != NULL)
			break;
		cand = strchr(cand, '.') + 1;
	}
	ctx->hold = 1;
	if (tried[0] == '\0')
		*why = xasprintf("%s: no %s for %s (a zone name has two labels "
		    "or more)", w->label, w->what, rec->zone != NULL ?
		    rec->zone : rec->name);
	else
		*why = xasprintf("%s: no %s for %s (tried %s%s%s)", w->label,
		    w->what, rec->name, tried, w->hint != NULL ? "; " : "",
		    w->hint != NULL ? w->hint : "");
	return OUT_CONFIG;
}
