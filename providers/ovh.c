/*
 * ovh: OVHcloud's signed API (/domain/zone), beside the DynHost dyndns2
 * preset. https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api
 * and the API console, https://eu.api.ovh.com/console/ (domain.zone).
 *
 * Quirks handled:
 * - Every authenticated call carries X-Ovh-Application (the application
 *   key), X-Ovh-Consumer (the consumer key), X-Ovh-Timestamp (the
 *   SERVER's Unix time) and X-Ovh-Signature, "$1$" and the hex SHA-1 of
 *   AS+CK+METHOD+FULL URL (query included)+BODY+TIMESTAMP joined by "+".
 *   The server refuses a timestamp too far from its clock, so GET
 *   /auth/time (unsigned) is asked once per run and endpoint and the
 *   difference applied to our clock.
 * - GET .../record?fieldType=&subDomain= answers ids only; each is read
 *   with GET .../record/{id}, and its subDomain and fieldType checked
 *   again, so an API ignoring a filter cannot get another record
 *   rewritten. The apex is subDomain "" (not "@").
 * - A write is not served until POST .../refresh republishes the zone:
 *   one refresh follows every write.
 * - PUT answers null; POST answers the new record with its id.
 * - Errors are {"errorCode","httpCode","message"} or {"class","message"}:
 *   INVALID_KEY, INVALID_CREDENTIAL, NOT_CREDENTIAL, INVALID_SIGNATURE,
 *   QUERY_TIME_OUT and NOT_GRANTED_CALL are credential problems (some
 *   come with 400), 404 an unknown zone, 429 throttling (Retry-After is
 *   honoured, else 60 s).
 * - The zone is the "zone" key, else the longest zone of GET /domain/zone
 *   (the account's zones, once per run) holding the name.
 * - The state keeps "<zone>/<record id>", so a later change is one PUT
 *   (and the refresh); a record deleted by hand (404) is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "providers.h"
#include "ovh.h"

#define OVH_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define OVH_MSG_MAX	400
#define OVH_MAX_IDS	20	/* records read when looking for ours */
#define OVH_TOKEN_URL	"https://eu.api.ovh.com/createToken/"
#define OVH_RULES	"GET /domain/zone, GET/POST/PUT " \
	"/domain/zone/*/record*, POST /domain/zone/*/refresh"

static const struct provider_key keys[] = {
	{ "application_key",	KEY_REQUIRED },
	{ "application_secret",	KEY_REQUIRED | KEY_SECRET },
	{ "consumer_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",		0 },
	{ NULL,			0 }
};

static const struct {
	const char	*alias;
	const char	*url;
} endpoints[] = {
	{ "ovh-eu",	"https://eu.api.ovh.com/1.0" },
	{ "ovh-ca",	"https://ca.api.ovh.com/1.0" },
	{ "ovh-us",	"https://api.us.ovhcloud.com/1.0" },
};

/* One push in progress. */
struct ovhp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*ak, *as, *ck;
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "ovh: name A" */
	long long		 delta;		/* server clock - ours */
	int			 timed;		/* delta is known */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* The signature; see ovh.h. */
void
ovh_sign(const char *as, const char *ck, const char *method, const char *url,
    const char *body, long long ts, char out[45])
{
	EVP_MD_CTX	*md;
	unsigned char	 dig[EVP_MAX_MD_SIZE];
	unsigned int	 dlen = 0;
	char		 tsbuf[32];

	snprintf(tsbuf, sizeof(tsbuf), "%lld", ts);
	memcpy(out, "$1$", 3);
	out[3] = '\0';
	if ((md = EVP_MD_CTX_new()) == NULL)
		return;
	if (EVP_DigestInit_ex(md, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(md, as, strlen(as)) == 1 &&
	    EVP_DigestUpdate(md, "+", 1) == 1 &&
	    EVP_DigestUpdate(md, ck, strlen(ck)) == 1 &&
	    EVP_DigestUpdate(md, "+", 1) == 1 &&
	    EVP_DigestUpdate(md, method, strlen(method)) == 1 &&
	    EVP_DigestUpdate(md, "+", 1) == 1 &&
	    EVP_DigestUpdate(md, url, strlen(url)) == 1 &&
	    EVP_DigestUpdate(md, "+", 1) == 1 &&
	    EVP_DigestUpdate(md, body != NULL ? body : "",
	    body != NULL ? strlen(body) : 0) == 1 &&
	    EVP_DigestUpdate(md, "+", 1) == 1 &&
	    EVP_DigestUpdate(md, tsbuf, strlen(tsbuf)) == 1 &&
	    EVP_DigestFinal_ex(md, dig, &dlen) == 1 && dlen == 20)
		crypto_hex(dig, dlen, out + 3);
	EVP_MD_CTX_free(md);
}

/* The base URL of an alias; see ovh.h. */
const char *
ovh_endpoint(const char *ep)
{
	size_t	 i;

	for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++)
		if (strcasecmp(ep, endpoints[i].alias) == 0)
			return endpoints[i].url;
	return NULL;
}

/* The hint for an OVH error code and status, or NULL. */
static const char *
hint(long status, const char *code)
{
	if (code == NULL)
		code = "";
	if (strcmp(code, "INVALID_KEY") == 0)
		return "check application_key: it is not an OVH application "
		    "key of this endpoint";
	if (strcmp(code, "INVALID_SIGNATURE") == 0)
		return "check application_secret: it does not belong to "
		    "the application key";
	if (strcmp(code, "INVALID_CREDENTIAL") == 0 ||
	    strcmp(code, "NOT_CREDENTIAL") == 0)
		return "check consumer_key: it is unknown, expired, revoked "
		    "or not validated; create one at " OVH_TOKEN_URL;
	if (strcmp(code, "QUERY_TIME_OUT") == 0)
		return "the request was too slow or the clock is off";
	if (strcmp(code, "NOT_GRANTED_CALL") == 0 || status == 403)
		return "the consumer key lacks an access rule: it needs "
		    OVH_RULES;
	if (status == 401)
		return "check application_key and consumer_key";
	return NULL;
}

/* 1 if code names a credential problem whatever the status, else 0. */
static int
auth_code(const char *code)
{
	static const char *const c[] = { "INVALID_KEY", "INVALID_SIGNATURE",
	    "INVALID_CREDENTIAL", "NOT_CREDENTIAL", "QUERY_TIME_OUT",
	    "NOT_GRANTED_CALL", NULL };
	size_t	 i;

	for (i = 0; code != NULL && c[i] != NULL; i++)
		if (strcmp(code, c[i]) == 0)
			return 1;
	return 0;
}

/* Read a reply; see ovh.h. */
enum outcome
ovh_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*code = NULL, *msg = NULL, *h;
	char		 buf[OVH_MSG_MAX] = "";
	enum outcome	 out;
	int		 ok = status >= 200 && status < 300;

	*rootp = NULL;
	*why = NULL;
	if (body == NULL || body[0] == '\0')
		root = ok ? json_null() : NULL;
	else
		root = json_loads(body, JSON_DECODE_ANY, &jerr);
	if (root != NULL && ok) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (ok) {
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not an OVH API reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (json_is_object(root)) {
		json_unpack(root, "{s?:s, s?:s}", "errorCode", &code,
		    "message", &msg);
		if (code == NULL)
			json_unpack(root, "{s?:s}", "class", &code);
	}
	if (auth_code(code))
		out = OUT_AUTH;
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (code != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (code != NULL)
			provider_append(buf, sizeof(buf), code);
		if (code != NULL && msg != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no OVH error in the "
		    "reply)");
	h = out == OUT_AUTH ? hint(status, code) : NULL;
	*why = h != NULL ? xasprintf("%s (%s)", buf, h) : xasprintf("%s",
	    buf);
	json_decref(root);
	return out;
}

/* The server time; see ovh.h. */
int
ovh_parse_time(json_t *root, long long *t)
{
	if (!json_is_integer(root) || json_integer_value(root) <= 0)
		return -1;
	*t = (long long)json_integer_value(root);
	return 0;
}

/* The account's zones as one string; see ovh.h. */
char *
ovh_parse_zones(json_t *root, char **why)
{
	json_t		*v;
	size_t		 i, len = 1;
	char		*s;
	const char	*z;

	*why = NULL;
	if (!json_is_array(root)) {
		*why = xasprintf("GET /domain/zone: not an array of zones");
		return NULL;
	}
	json_array_foreach(root, i, v) {
		if (!json_is_string(v) || (z = json_string_value(v))[0] ==
		    '\0' || strpbrk(z, " \t\r\n") != NULL ||
		    provider_has_ctl(z)) {
			*why = xasprintf("GET /domain/zone: zone %zu is not a "
			    "name", i);
			return NULL;
		}
		len += strlen(z) + 1;
	}
	if ((s = calloc(1, len)) == NULL) {
		*why = xasprintf("out of memory");
		return NULL;
	}
	json_array_foreach(root, i, v) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, json_string_value(v));
	}
	return s;
}

/* The zone holding name; see ovh.h. */
char *
ovh_pick_zone(const char *zones, const char *name)
{
	const char	*p = zones, *e, *best = NULL;
	size_t		 zl, nl = strlen(name), bl = 0;

	while (*p != '\0') {
		if ((e = strchr(p, ' ')) == NULL)
			e = p + strlen(p);
		zl = e - p;
		if (zl > bl && zl <= nl &&
		    strncasecmp(name + nl - zl, p, zl) == 0 &&
		    (zl == nl || name[nl - zl - 1] == '.')) {
			best = p;
			bl = zl;
		}
		p = *e == ' ' ? e + 1 : e;
	}
	return best != NULL ? strndup(best, bl) : NULL;
}

/* The decimal text of a JSON id, malloc'd; NULL if not one. */
static char *
json_id(json_t *v)
{
	return provider_json_id(v);
}

/* Free an id list; see ovh.h. */
void
ovh_ids_free(char **ids, size_t n)
{
	size_t	 i;

	if (ids == NULL)
		return;
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* The ids of a record search; see ovh.h. */
int
ovh_parse_ids(json_t *root, char ***idsp, size_t *np, char **why)
{
	json_t	*v;
	char	**ids;
	size_t	 i, n;

	*idsp = NULL;
	*np = 0;
	*why = NULL;
	if (!json_is_array(root)) {
		*why = xasprintf("the record search did not answer an array "
		    "of ids");
		return -1;
	}
	if ((n = json_array_size(root)) == 0)
		return 0;
	if ((ids = calloc(n, sizeof(*ids))) == NULL) {
		*why = xasprintf("out of memory");
		return -1;
	}
	json_array_foreach(root, i, v) {
		if ((ids[i] = json_id(v)) == NULL) {
			ovh_ids_free(ids, n);
			*why = xasprintf("the record search answered a "
			    "non-numeric id at %zu", i);
			return -1;
		}
	}
	*idsp = ids;
	*np = n;
	return 0;
}

/* Free what an ovh_rec holds and zero it; NULL is a no-op. */
void
ovh_rec_free(struct ovh_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->sub);
	free(r->type);
	free(r->target);
	memset(r, 0, sizeof(*r));
}

/* A record object; see ovh.h. */
int
ovh_parse_record(json_t *root, struct ovh_rec *r)
{
	const char	*sub, *type, *target;
	json_t		*jt;

	memset(r, 0, sizeof(*r));
	if (json_unpack(root, "{s:s, s:s, s:s}", "subDomain", &sub,
	    "fieldType", &type, "target", &target) == -1)
		return -1;
	if ((r->id = json_id(json_object_get(root, "id"))) == NULL ||
	    (r->sub = strdup(sub)) == NULL ||
	    (r->type = strdup(type)) == NULL ||
	    (r->target = strdup(target)) == NULL) {
		ovh_rec_free(r);
		return -1;
	}
	jt = json_object_get(root, "ttl");
	if (json_is_integer(jt))
		r->ttl = (long)json_integer_value(jt);
	return 0;
}

/* The POST or PUT body; see ovh.h. */
int
ovh_build_body(const char *type, const char *sub, const char *target,
    long ttl, const struct ovh_rec *have, char **body)
{
	json_t	*o;
	int	 n = 0;

	*body = NULL;
	if (have == NULL) {
		o = json_pack("{s:s, s:s, s:s}", "fieldType", type,
		    "subDomain", sub, "target", target);
		if (o != NULL && ttl > 0)
			json_object_set_new(o, "ttl", json_integer(ttl));
		n = 3;
	} else {
		if ((o = json_object()) == NULL)
			return -1;
		if (!provider_same_address(have->target, target)) {
			json_object_set_new(o, "target", json_string(target));
			n++;
		}
		if (ttl > 0 && ttl != have->ttl) {
			json_object_set_new(o, "ttl", json_integer(ttl));
			n++;
		}
	}
	if (o == NULL)
		return -1;
	if (n > 0 && (*body = json_dumps(o, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) == NULL)
		n = -1;
	json_decref(o);
	return n;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct ovhp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "ovh",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = OVH_WAIT_429;
	return out;
}

/* 1 if s is set, non-empty and free of control characters. */
static int
usable(const char *s)
{
	return s != NULL && *s != '\0' && !provider_has_ctl(s);
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ovh_init(struct ovhp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *url;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("ovh: %s %s", rec->name, c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->ak = rec_str(rec, "application_key");
	c->as = rec_str(rec, "application_secret");
	c->ck = rec_str(rec, "consumer_key");
	if (!usable(c->ak) || !usable(c->as) || !usable(c->ck))
		return fail(c, OUT_CONFIG, xasprintf("application_key, "
		    "application_secret and consumer_key must be set, "
		    "without control characters"), why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = "ovh-eu";
	if ((url = ovh_endpoint(ep)) == NULL)
		url = ep;
	if ((strncasecmp(url, "https://", 8) != 0 &&
	    strncasecmp(url, "http://", 7) != 0) || provider_has_ctl(url) ||
	    strpbrk(url, "?# ") != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is "
		    "neither ovh-eu, ovh-ca, ovh-us nor an http(s) URL", ep),
		    why);
	if ((c->base = strdup(url)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';
	if (rec->zone == NULL && strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: an "
		    "OVH zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what ovh_init() allocated. */
static void
cleanup(struct ovhp *c)
{
	free(c->base);
	free(c->label);
}

/*
 * Send method on path (below the base) with body (or none), signed
 * unless sign is 0. OUT_CURRENT with *root (caller json_decref()s); else
 * an error outcome with *why (c->status tells a 404).
 */
static enum outcome
ovh_call(struct ovhp *c, const char *method, const char *path,
    const char *body, int sign, json_t **root, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[7];
	char		 sig[45], h_ak[300], h_ck[300], h_ts[64], h_sig[80];
	char		*url, *inner = NULL;
	enum outcome	 out;
	long long	 ts;
	size_t		 i = 0;

	*root = NULL;
	if ((url = xasprintf("%s%s", c->base, path)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	hdrs[i++] = "Accept: application/json";
	if (body != NULL)
		hdrs[i++] = "Content-Type: application/json";
	if (sign) {
		ts = (long long)time(NULL) + c->delta;
		ovh_sign(c->as, c->ck, method, url, body, ts, sig);
		snprintf(h_ak, sizeof(h_ak), "X-Ovh-Application: %s", c->ak);
		snprintf(h_ck, sizeof(h_ck), "X-Ovh-Consumer: %s", c->ck);
		snprintf(h_ts, sizeof(h_ts), "X-Ovh-Timestamp: %lld", ts);
		snprintf(h_sig, sizeof(h_sig), "X-Ovh-Signature: %s", sig);
		hdrs[i++] = h_ak;
		hdrs[i++] = h_ck;
		hdrs[i++] = h_ts;
		hdrs[i++] = h_sig;
	}
	hdrs[i] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	c->status = 0;
	out = provider_send(c->label, &req, &resp, c->ctx, why);
	explicit_bzero(h_ck, sizeof(h_ck));
	free(url);
	if (out != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = ovh_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/* Learn the server's clock once per run and endpoint (GET /auth/time);
 * OUT_CURRENT, or an error outcome with *why. */
static enum outcome
sync_time(struct ovhp *c, char **why)
{
	json_t		*root = NULL;
	char		*key, *val = NULL, *end;
	long long	 t;
	enum outcome	 out = OUT_CURRENT;
	int		 hit;

	if (c->timed)
		return OUT_CURRENT;
	if ((key = xasprintf("ovh:time:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, &val)) == 1 &&
	    val != NULL) {
		c->delta = strtoll(val, &end, 10);
		c->timed = 1;
		goto out;
	}
	if ((out = ovh_call(c, "GET", "/auth/time", NULL, 0, &root, why)) !=
	    OUT_CURRENT)
		goto out;
	if (ovh_parse_time(root, &t) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: GET "
		    "/auth/time did not answer a time", c->status), why);
		goto out;
	}
	c->delta = t - (long long)time(NULL);
	c->timed = 1;
	if (c->delta < -30 || c->delta > 30)
		log_info("%s: our clock is %lld s off OVH's; using theirs",
		    c->label, -c->delta);
	free(val);
	if ((val = xasprintf("%lld", c->delta)) != NULL)
		provider_cache_put(c->ctx, key, val);
out:
	json_decref(root);
	free(val);
	free(key);
	return out;
}

/*
 * The zone the record lives in: the configured one, else the longest
 * zone of the account's list holding the name. OUT_CURRENT with *zone
 * (malloc'd), else an outcome with *why.
 */
static enum outcome
find_zone(struct ovhp *c, char **zone, char **why)
{
	json_t		*root = NULL;
	char		*key, *list = NULL, *inner = NULL, *z, *rel;
	enum outcome	 out = OUT_CURRENT;
	int		 hit;

	*zone = NULL;
	if (c->rec->zone != NULL) {
		/* Only to check the name is in it. */
		if (provider_split_name(c->rec->name, c->rec->zone, &z, &rel,
		    &inner) == -1) {
			c->ctx->hold = 1;
			return fail(c, OUT_CONFIG, inner, why);
		}
		free(rel);
		*zone = z;
		return OUT_CURRENT;
	}
	if ((key = xasprintf("ovh:zones:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, &list)) == 0 ||
	    list == NULL) {
		free(list);
		list = NULL;
		if ((out = ovh_call(c, "GET", "/domain/zone", NULL, 1, &root,
		    why)) != OUT_CURRENT)
			goto out;
		if ((list = ovh_parse_zones(root, &inner)) == NULL) {
			out = fail(c, OUT_PROTOCOL, inner, why);
			goto out;
		}
		provider_cache_put(c->ctx, key, list);
	}
	if ((*zone = ovh_pick_zone(list, c->rec->name)) == NULL) {
		c->ctx->hold = 1;
		out = fail(c, OUT_CONFIG, xasprintf("no OVH DNS zone of this "
		    "account holds %s (zones: %s; set \"zone\" or add the "
		    "zone)", c->rec->name, list[0] != '\0' ? list : "none"),
		    why);
	}
out:
	json_decref(root);
	free(list);
	free(key);
	return out;
}

/* The subDomain of the name in zone ("" for the apex), malloc'd. */
static char *
subdomain(const char *name, const char *zone)
{
	size_t	 nl = strlen(name), zl = strlen(zone);

	if (nl <= zl)
		return strdup("");
	return strndup(name, nl - zl - 1);
}

/* POST /domain/zone/{zone}/refresh; OUT_UPDATED or an outcome, *why. */
static enum outcome
refresh(struct ovhp *c, const char *ez, char **why)
{
	json_t		*root = NULL;
	char		*path;
	enum outcome	 out;

	if ((path = xasprintf("/domain/zone/%s/refresh", ez)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = ovh_call(c, "POST", path, NULL, 1, &root, why);
	json_decref(root);
	free(path);
	if (out != OUT_CURRENT) {
		/* The record is written; say so. */
		char *w = *why;

		*why = xasprintf("%s (the record is written but the zone "
		    "was not refreshed)", w != NULL ? w : "refresh failed");
		free(w);
		return out;
	}
	return OUT_UPDATED;
}

/*
 * POST (id NULL) or PUT the record id in zone with body, then refresh the
 * zone. OUT_UPDATED with ctx->new_record_id, or an error outcome with
 * *why; *gone is set when a PUT answers 404.
 */
static enum outcome
ovh_write(struct ovhp *c, const char *zone, const char *id, const char *body,
    int *gone, char **why)
{
	struct ovh_rec	 made;
	json_t		*root = NULL;
	char		*ez, *path = NULL;
	enum outcome	 out;

	*gone = 0;
	memset(&made, 0, sizeof(made));
	if ((ez = http_pctenc(zone)) == NULL ||
	    (path = id == NULL ? xasprintf("/domain/zone/%s/record", ez) :
	    xasprintf("/domain/zone/%s/record/%s", ez, id)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, id == NULL ? "creating" : "updating",
	    body);
	if ((out = ovh_call(c, id == NULL ? "POST" : "PUT", path, body, 1,
	    &root, why)) != OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		goto out;
	}
	if (id == NULL && ovh_parse_record(root, &made) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: POST answered "
		    "no record with an id", c->status), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, id != NULL ?
	    id : made.id)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = refresh(c, ez, why);
out:
	ovh_rec_free(&made);
	json_decref(root);
	free(ez);
	free(path);
	return out;
}

/*
 * The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the record is gone and the caller should look it up.
 */
static int
update_known(struct ovhp *c, char **why)
{
	struct ovh_rec	 none;
	const char	*slash, *sid = c->ctx->record_id;
	char		*zone = NULL, *body = NULL;
	size_t		 nl, zl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strrchr(sid, '/')) == NULL || slash == sid ||
	    slash[1] == '\0' || strspn(slash + 1, "0123456789") !=
	    strlen(slash + 1))
		return -1;
	if ((zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state, and
	 * the stored zone must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	memset(&none, 0, sizeof(none));
	none.target = "";
	if (ovh_build_body(c->type, NULL, c->data, c->rec->ttl, &none,
	    &body) == -1) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = sync_time(c, why)) != OUT_CURRENT) {
		ret = out;
		goto out;
	}
	out = ovh_write(c, zone, slash + 1, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", c->label,
		    sid);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	free(body);
	return ret;
}

/*
 * Read the records of ids until one is sub and c->type: 0 with *have
 * filled (caller ovh_rec_free()s) or zeroed when none; else an error
 * outcome with *why.
 */
static int
read_records(struct ovhp *c, const char *ez, const char *sub, char **ids,
    size_t n, struct ovh_rec *have, char **why)
{
	struct ovh_rec	 r;
	json_t		*root = NULL;
	char		*path;
	enum outcome	 out;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	for (i = 0; i < n && i < OVH_MAX_IDS; i++) {
		if ((path = xasprintf("/domain/zone/%s/record/%s", ez,
		    ids[i])) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		out = ovh_call(c, "GET", path, NULL, 1, &root, why);
		free(path);
		if (out != OUT_CURRENT)
			return out;
		if (ovh_parse_record(root, &r) == -1) {
			json_decref(root);
			return fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: "
			    "record %s is not shaped as documented",
			    c->status, ids[i]), why);
		}
		json_decref(root);
		root = NULL;
		if (strcmp(r.type, c->type) == 0 &&
		    strcasecmp(r.sub, sub) == 0) {
			*have = r;
			return 0;
		}
		ovh_rec_free(&r);
	}
	return 0;
}

/*
 * Find the record by subDomain and type and create it, update what
 * differs, or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ovhp *c, char **why)
{
	struct ovh_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *sub = NULL, *ez = NULL, *es = NULL;
	char		*path = NULL, *body = NULL, *inner = NULL, **ids = NULL;
	size_t		 n = 0;
	enum outcome	 out;
	int		 k, gone;

	memset(&have, 0, sizeof(have));
	if ((out = sync_time(c, why)) != OUT_CURRENT ||
	    (out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((sub = subdomain(c->rec->name, zone)) == NULL ||
	    (ez = http_pctenc(zone)) == NULL ||
	    (es = http_pctenc(sub)) == NULL ||
	    (path = xasprintf("/domain/zone/%s/record?fieldType=%s&"
	    "subDomain=%s", ez, c->type, es)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ovh_call(c, "GET", path, NULL, 1, &root, why)) !=
	    OUT_CURRENT) {
		if (c->status == 404) {
			c->ctx->hold = 1;
			out = OUT_CONFIG;
			inner = *why;
			*why = xasprintf("%s (is %s an OVH DNS zone of this "
			    "account?)", inner, zone);
			free(inner);
		}
		goto out;
	}
	if (ovh_parse_ids(root, &ids, &n, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if ((k = read_records(c, ez, sub, ids, n, &have, why)) != 0) {
		out = (enum outcome)k;
		goto out;
	}
	if (n > 1 && have.id != NULL)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, n, have.id);
	if ((k = ovh_build_body(c->type, sub, c->data, c->rec->ttl,
	    have.id != NULL ? &have : NULL, &body)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (k == 0) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s", zone,
		    have.id)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = ovh_write(c, zone, have.id, body, &gone, why);
out:
	json_decref(root);
	ovh_rec_free(&have);
	ovh_ids_free(ids, n);
	free(zone);
	free(sub);
	free(ez);
	free(es);
	free(path);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ovhp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ovh_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells us nothing when the record
	 * should hold addr already (forced, stale): look and compare. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&c, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&c, why);
out:
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct ovhp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ovh_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_ovh = {
	.name = "ovh",
	.keys = keys,
	.push = push,
	.check = check,
};
