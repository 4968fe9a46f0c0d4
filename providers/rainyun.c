/*
 * rainyun: Rainyun (雨云) API v2 at https://api.v2.rainyun.com.
 * https://www.apifox.cn/apidoc/shared-a4595cc8-44c5-4678-a2a3-eed7738dab03
 * (the vendor's API document; its domain and DNS pages are what ddns-go
 * and lego's rainyun providers follow).
 *
 * Quirks handled:
 * - Every call carries the account's API key in an "x-api-key" header;
 *   a wrong or expired key is HTTP 403 {"code":30039,"message":
 *   "密钥认证错误或已失效"}.
 * - Replies are {"code":...,"message":...,"data":...}. Success is code
 *   200 (what ddns-go checks); lego's fixtures show 0, so both are read as
 *   success when the HTTP status is 200.
 * - Records live under the domain's numeric id: GET /product/domain?
 *   options={"columnFilters":{"domains.Domain":zone},...} finds it (once
 *   per run and zone, or never when "domain_id" is configured), GET
 *   /product/domain/{id}/dns?limit=100&page_no=1 lists its records
 *   (data.Records: record_id, host, type, value, line, ttl, level),
 *   POST /product/domain/{id}/dns creates one and PATCH updates one by
 *   record_id. The create reply carries no record id.
 * - Hosts are relative to the domain, "@" for the apex; the line is
 *   "DEFAULT" and the level 10 unless the record already has others.
 * - We always list and compare first and never write an unchanged value.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "rainyun.h"

#define RY_ENDPOINT	"https://api.v2.rainyun.com"
#define RY_LINE		"DEFAULT"
#define RY_LEVEL	10
#define RY_TTL		600
#define RY_CODE_KEY	30039	/* 密钥认证错误或已失效 */
#define RY_MSG_MAX	400
#define RY_HINT_AUTH	"check api_key: the API key from the Rainyun " \
	"console's account settings (API 密钥)"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "domain_id",	0 },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct ry {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*value;
	char			*keyhdr;	/* "x-api-key: ..." */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;
	char			*zone;
	char			*host;
	char			*domid;
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if s is a non-empty string of decimal digits, else 0. */
static int
numeric(const char *s)
{
	if (*s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* The domain list URL; see rainyun.h. */
char *
ry_domains_url(const char *base, const char *zone)
{
	json_t	*o;
	char	*js, *enc = NULL, *u = NULL;

	o = json_pack("{s:{s:s}, s:[], s:i, s:i}", "columnFilters",
	    "domains.Domain", zone, "sort", "page", 1, "perPage", 100);
	if (o == NULL)
		return NULL;
	js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (js != NULL && (enc = http_pctenc(js)) != NULL)
		u = xasprintf("%s/product/domain?options=%s", base, enc);
	free(js);
	free(enc);
	return u;
}

/* The create/update body; see rainyun.h. */
char *
ry_body(const char *id, const char *host, const char *type,
    const char *value, const char *line, long level, long ttl)
{
	json_t	*o;
	char	*s;

	if (id != NULL && !numeric(id))
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;
	if (id != NULL)
		json_object_set_new(o, "record_id",
		    json_integer(strtoll(id, NULL, 10)));
	json_object_set_new(o, "host", json_string(host));
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "value", json_string(value));
	json_object_set_new(o, "line", json_string(line));
	json_object_set_new(o, "level", json_integer(level));
	json_object_set_new(o, "ttl", json_integer(ttl));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The text of a string or integer JSON value, malloc'd; NULL if neither. */
static char *
scalar(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return NULL;
}

/* Read a reply; see rainyun.h. */
enum outcome
ry_reply(long status, const char *body, json_t **rootp, int *hold,
    char **why)
{
	json_t		*root = NULL, *jc;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[RY_MSG_MAX] = "";
	long		 code;
	enum outcome	 out;

	*rootp = NULL;
	*hold = 0;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	jc = json_object_get(root, "code");
	if (root == NULL || !json_is_integer(jc)) {
		if (root != NULL)
			snprintf(jerr.text, sizeof(jerr.text), "no \"code\"");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a Rainyun API reply: %s",
			    buf);
			return OUT_PROTOCOL;
		}
		out = provider_status_outcome(status);
		if (out == OUT_AUTH) {
			*hold = 1;
			*why = xasprintf("HTTP %ld (%s)", status, RY_HINT_AUTH);
		} else
			*why = xasprintf("HTTP %ld (not a Rainyun API reply)",
			    status);
		return out;
	}
	code = (long)json_integer_value(jc);
	if ((code == 200 || code == 0) && status == 200) {
		*rootp = root;
		return OUT_CURRENT;
	}
	json_unpack(root, "{s:s}", "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld, code %ld", status, code);
	if (msg != NULL && msg[0] != '\0') {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	}
	if (code == RY_CODE_KEY || status == 401 || status == 403) {
		out = OUT_AUTH;
		*hold = 1;
		hint = RY_HINT_AUTH;
	} else if (status == 429 || status >= 500) {
		out = OUT_TEMPFAIL;
	} else if (status == 400 || status == 404 || status == 409 ||
	    status == 422) {
		out = OUT_CONFIG;
		*hold = 1;
		hint = "is the domain in this Rainyun account, and are "
		    "\"zone\" and \"domain_id\" right?";
	} else if (code == 200 || code == 0)
		out = provider_status_outcome(status);
	else
		out = OUT_PROTOCOL;
	if (hint != NULL)
		*why = xasprintf("%s (%s)", buf, hint);
	else
		*why = xasprintf("%s", buf);
	json_decref(root);
	return out;
}

/* data.Records of a reply, or NULL (none) with *why set when it is not an
 * array. */
static json_t *
records(json_t *root, char **why)
{
	json_t	*list;

	*why = NULL;
	list = json_object_get(json_object_get(root, "data"), "Records");
	if (list == NULL || json_is_null(list))
		return NULL;
	if (!json_is_array(list)) {
		*why = xasprintf("data.Records is not an array");
		return NULL;
	}
	return list;
}

/* The id of zone; see rainyun.h. */
char *
ry_parse_domain(json_t *root, const char *zone, char **why)
{
	json_t		*list, *d;
	const char	*name;
	char		*id;
	size_t		 i;

	if ((list = records(root, why)) == NULL)
		return NULL;
	json_array_foreach(list, i, d) {
		if (json_unpack(d, "{s:s}", "domain", &name) == -1) {
			*why = xasprintf("domain %zu has no name", i);
			return NULL;
		}
		if (strcasecmp(name, zone) != 0)
			continue;
		id = scalar(json_object_get(d, "id"));
		if (id == NULL || !numeric(id)) {
			free(id);
			*why = xasprintf("domain %s has no numeric id", zone);
			return NULL;
		}
		return id;
	}
	return NULL;
}

/* Free what a ry_rec holds and zero it; NULL is a no-op. */
void
ry_rec_free(struct ry_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

/* 1 if the API's host h names host (relative, "@" apex) or name. */
static int
host_is(const char *h, const char *host, const char *name)
{
	if (strcmp(host, "@") == 0 && h[0] == '\0')
		return 1;
	return strcasecmp(h, host) == 0 || strcasecmp(h, name) == 0;
}

/* Parse a record list; see rainyun.h. */
int
ry_parse_list(json_t *root, const char *host, const char *name,
    const char *type, struct ry_rec *have, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*h, *t, *v, *l;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	if ((list = records(root, why)) == NULL)
		return *why != NULL ? -1 : 0;
	json_array_foreach(list, i, r) {
		l = NULL;
		if (json_unpack_ex(r, NULL, 0, "{s:s, s:s, s:s, s?:s}", "host",
		    &h, "type", &t, "value", &v, "line", &l) == -1) {
			*why = xasprintf("record %zu lacks host, type or value",
			    i);
			goto bad;
		}
		if (strcasecmp(t, type) != 0 || !host_is(h, host, name))
			continue;
		if ((*count)++ > 0)
			continue;
		have->id = scalar(json_object_get(r, "record_id"));
		if (have->id == NULL || !numeric(have->id)) {
			*why = xasprintf("record %zu has no numeric record_id",
			    i);
			goto bad;
		}
		if ((have->value = strdup(v)) == NULL ||
		    (l != NULL && (have->line = strdup(l)) == NULL)) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		if ((jt = json_object_get(r, "ttl")) == NULL)
			jt = json_object_get(r, "TTL");
		if (json_is_integer(jt))
			have->ttl = (long)json_integer_value(jt);
		jt = json_object_get(r, "level");
		if (json_is_integer(jt))
			have->level = (long)json_integer_value(jt);
	}
	return 0;
bad:
	ry_rec_free(have);
	*count = 0;
	return -1;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; returns out. */
static enum outcome
fail(struct ry *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "rainyun",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ry_init(struct ry *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*key, *did;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	if ((c->label = xasprintf("rainyun: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	key = rec_str(rec, "api_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key))
		return fail(c, OUT_CONFIG, xasprintf("api_key is empty or has "
		    "a control character"), why);
	if ((c->keyhdr = xasprintf("x-api-key: %s", key)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((did = rec_str(rec, "domain_id")) != NULL) {
		if (!numeric(did))
			return fail(c, OUT_CONFIG, xasprintf("domain_id \"%s\" "
			    "is not the numeric id of a Rainyun domain", did),
			    why);
		if ((c->domid = strdup(did)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    RY_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	return OUT_CURRENT;
}

/* Free what ry_init() allocated. */
static void
cleanup(struct ry *c)
{
	if (c->keyhdr != NULL)
		explicit_bzero(c->keyhdr, strlen(c->keyhdr));
	free(c->keyhdr);
	free(c->base);
	free(c->label);
	free(c->zone);
	free(c->host);
	free(c->domid);
}

/*
 * Send method url with the JSON body (or none); what names the call in
 * messages. OUT_CURRENT with *root (caller json_decref()s); else an error
 * outcome with *why and the context's hold set.
 */
static enum outcome
ry_call(struct ry *c, const char *method, const char *url, const char *what,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*inner = NULL;
	int		 hold = 0;
	enum outcome	 out;

	*root = NULL;
	hdrs[0] = c->keyhdr;
	hdrs[1] = NULL;
	log_info("%s: %s %s", c->label, method, what);
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	out = ry_reply(resp.status, resp.body, root, &hold, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		c->ctx->hold = hold;
		out = fail(c, out, xasprintf("%s %s: %s", method, what,
		    inner), why);
	}
	free(inner);
	return out;
}

/* Find the zone's domain id into c->domid (cached per run). */
static enum outcome
ry_domain(struct ry *c, char **why)
{
	json_t		*root = NULL;
	char		*key, *url = NULL, *inner = NULL, *id = NULL;
	int		 hit;
	enum outcome	 out;

	if (c->domid != NULL)
		return OUT_CURRENT;
	if ((key = xasprintf("rainyun %s %s", c->base, c->zone)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, &id)) == 1 && id != NULL) {
		c->domid = id;
		free(key);
		return OUT_CURRENT;
	}
	if (hit == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (hit == 0) {
		if ((url = ry_domains_url(c->base, c->zone)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ry_call(c, "GET", url, "/product/domain", NULL,
		    &root, why)) != OUT_CURRENT)
			goto out;
		id = ry_parse_domain(root, c->zone, &inner);
		if (id == NULL && inner != NULL) {
			out = fail(c, OUT_PROTOCOL, inner, why);
			goto out;
		}
		provider_cache_put(c->ctx, key, id);
	}
	if (id == NULL) {
		c->ctx->hold = 1;
		out = fail(c, OUT_CONFIG, xasprintf("domain %s is not in this "
		    "Rainyun account (check \"zone\", or set \"domain_id\")",
		    c->zone), why);
		goto out;
	}
	c->domid = id;
	out = OUT_CURRENT;
out:
	json_decref(root);
	free(url);
	free(key);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ry	 c;
	struct ry_rec	 have;
	json_t		*root = NULL;
	char		*url = NULL, *body = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;

	*why = NULL;
	memset(&have, 0, sizeof(have));
	if ((out = ry_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	if ((out = ry_domain(&c, why)) != OUT_CURRENT)
		goto out;

	if ((url = xasprintf("%s/product/domain/%s/dns?limit=100&page_no=1",
	    c.base, c.domid)) == NULL) {
		out = fail(&c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ry_call(&c, "GET", url, "/product/domain/{id}/dns", NULL,
	    &root, why)) != OUT_CURRENT)
		goto out;
	if (ry_parse_list(root, c.host, rec->name, c.type, &have, &count,
	    &inner) == -1) {
		out = fail(&c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	json_decref(root);
	root = NULL;
	if (count > 1)
		log_warnx("%s: %zu records of that name; updating %s only",
		    c.label, count, have.id);
	if (count > 0 && strcmp(have.value, c.value) == 0 &&
	    (rec->ttl <= 0 || rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c.label, have.id,
		    c.value);
		free(ctx->new_record_id);
		ctx->new_record_id = have.id;
		have.id = NULL;
		goto out;
	}

	ttl = rec->ttl > 0 ? rec->ttl : count > 0 && have.ttl > 0 ?
	    have.ttl : RY_TTL;
	body = ry_body(count > 0 ? have.id : NULL, c.host, c.type, c.value,
	    count > 0 && have.line != NULL ? have.line : RY_LINE,
	    count > 0 && have.level > 0 ? have.level : RY_LEVEL, ttl);
	free(url);
	url = xasprintf("%s/product/domain/%s/dns", c.base, c.domid);
	if (body == NULL || url == NULL) {
		out = fail(&c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ry_call(&c, count > 0 ? "PATCH" : "POST", url,
	    "/product/domain/{id}/dns", body, &root, why)) != OUT_CURRENT)
		goto out;
	if (count > 0) {
		free(ctx->new_record_id);
		ctx->new_record_id = have.id;
		have.id = NULL;
	}
	out = OUT_UPDATED;
out:
	json_decref(root);
	ry_rec_free(&have);
	free(url);
	free(body);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct ry	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ry_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_rainyun = {
	.name = "rainyun",
	.keys = keys,
	.push = push,
	.check = check,
};
