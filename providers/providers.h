/*
 * Provider descriptors and the few helpers every provider shares.
 * One file per provider (or protocol family) in this directory; the one
 * table is in providers.c.
 */
#ifndef PROVIDERS_H
#define PROVIDERS_H

#include "../ddnsup.h"

extern const struct provider provider_aliyun;
extern const struct provider provider_baiducloud;
extern const struct provider provider_callback;
extern const struct provider provider_cloudflare;
extern const struct provider provider_cloudns;
extern const struct provider provider_desec;
extern const struct provider provider_digitalocean;
extern const struct provider provider_dnsexit;
extern const struct provider provider_dnsimple;
extern const struct provider provider_dnsla;
extern const struct provider provider_dnsmadeeasy;
extern const struct provider provider_dnspod;
extern const struct provider provider_duckdns;
extern const struct provider provider_dynadot;
extern const struct provider provider_dyndns2;
extern const struct provider provider_edgeone;
extern const struct provider provider_esa;
extern const struct provider provider_gandi;
extern const struct provider provider_gcore;
extern const struct provider provider_godaddy;
extern const struct provider provider_hetzner;
extern const struct provider provider_huaweicloud;
extern const struct provider provider_infomaniak;
extern const struct provider provider_inwx;
extern const struct provider provider_ionos;
extern const struct provider provider_linode;
extern const struct provider provider_namecheap;
extern const struct provider provider_namecom;
extern const struct provider provider_namesilo;
extern const struct provider provider_netcup;
extern const struct provider provider_njalla;
extern const struct provider provider_ns1;
extern const struct provider provider_oneurl;
extern const struct provider provider_ovh;
extern const struct provider provider_porkbun;
extern const struct provider provider_rainyun;
extern const struct provider provider_rfc2136;
extern const struct provider provider_route53;
extern const struct provider provider_scaleway;
extern const struct provider provider_spaceship;
extern const struct provider provider_tencentcloud;
extern const struct provider provider_vercel;
extern const struct provider provider_volcengine;
extern const struct provider provider_vultr;

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
 * Send method url as a JSON API call: the NULL-ended extra headers (auth;
 * may be NULL), "Accept: application/json", "Content-Type: application/json"
 * when there is a body, Basic auth when userpwd is not NULL, the record's
 * "insecure". As provider_send(): OUT_CURRENT with resp filled (caller
 * http_resp_free()s it), else an outcome with *why (malloc'd).
 */
enum outcome	 provider_json_send(const char *label, const struct record *rec,
		    struct push_ctx *ctx, const char *method, const char *url,
		    const char *const *extra, const char *userpwd,
		    const char *body, struct http_resp *resp, char **why);

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

/*
 * Whether cand is a zone (domain) on the account: OUT_CURRENT with *val
 * the zone's id or name (malloc'd) when it is, NULL when it is not; else
 * an error outcome with *why (malloc'd). arg is the provider's own state.
 */
typedef enum outcome (*provider_zone_fn)(void *arg, const char *cand,
		    char **val, char **why);

/* How provider_find_zone() looks for a zone on one vendor's account. */
struct zone_walk {
	const char		*label;		/* prefix of its messages */
	const char		*cachepfx;	/* e.g. "vendor:<base URL>" */
	const char		*what;		/* "DigitalOcean domain" */
	const char		*hint;		/* NULL, or what to do */
	provider_zone_fn	 lookup;
	void			*arg;		/* lookup's first argument */
};

/*
 * The zone rec lives in: rec->zone when set (the name must be in it), else
 * the longest suffix of the name, of two labels or more, that w->lookup
 * finds. lookup runs once per candidate and run: its answers are cached
 * under "<cachepfx>:<candidate in lower case>". OUT_CURRENT with *zone
 * (the zone's name as configured or as a suffix of rec->name) and *val
 * (lookup's value), both malloc'd, caller frees. Otherwise *why
 * (malloc'd): lookup's error outcome and message as they are; or
 * OUT_CONFIG with ctx->hold set and "<label>: no <what> for <name>
 * (tried a, b[; hint])" when no candidate is on the account.
 */
enum outcome	 provider_find_zone(struct push_ctx *ctx, const struct record *rec,
		    const struct zone_walk *w, char **zone, char **val,
		    char **why);

/*
 * The base URL of an API from the record's "endpoint" (ep; dflt when
 * NULL): an http:// or https:// URL with a host and without query,
 * fragment, spaces or control characters, its trailing slashes removed.
 * Malloc'd; NULL with *why (malloc'd) saying what is wrong, or with *why
 * NULL when out of memory.
 */
char		*provider_base_url(const char *ep, const char *dflt, char **why);

/* 1 if the two texts name the same address ("2001:db8::1" and
 * "2001:DB8:0::1" do), or, when either is not an address, are equal;
 * 0 otherwise or when either is NULL. */
int		 provider_same_address(const char *a, const char *b);

/* The part of name before zone (which find_zone-style code has checked
 * ends name), or apex ("@" or "" as the vendor wants) when name is the
 * zone; malloc'd, NULL when out of memory. */
char		*provider_relative(const char *name, const char *zone,
		    const char *apex);

/* 1 if s has a control character (it would break a header or a URL). */
int		 provider_has_ctl(const char *s);

/* Append s to buf (size sz, NUL-ended), truncating, with control
 * characters shown as '?' so a server's text cannot forge our output
 * lines. For quoting a vendor's error code and message. */
void		 provider_append(char *buf, size_t sz, const char *s);

/* The decimal text of an id a vendor sends as a positive JSON integer or
 * as a string of 1-20 digits; malloc'd, NULL if it is neither. */
char		*provider_json_id(json_t *v);

/*
 * Split name into its zone (the configured zone, else the last two
 * labels) and the part before it, "@" for the apex, as the Chinese clouds'
 * APIs want them. 0 with *zonep and *rr malloc'd, or -1 with *why
 * (malloc'd) saying what is wrong.
 */
int		 provider_split_name(const char *name, const char *zone,
		    char **zonep, char **rr, char **why);

#endif /* PROVIDERS_H */
