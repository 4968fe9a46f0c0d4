/*
 * ns1: NS1 (IBM NS1 Connect) managed DNS, REST API v1.
 * https://developer.ibm.com/apis/catalog/ns1--ibm-ns1-connect-api/api/API--ns1--ibm-ns1-connect-api
 *
 * Quirks handled:
 * - The key goes in "X-NSONE-Key"; records are addressed by zone, FULL
 *   domain name and type: /v1/zones/{zone}/{domain}/{type}. PUT creates
 *   (400 when it exists), POST changes (404 when it does not), GET reads.
 * - The zone is the configured one, else the longest suffix of the name
 *   of two labels or more that GET /v1/zones/{zone}?records=false finds
 *   (404 "zone not found" means "not this one"); answers, misses
 *   included, are cached for the run.
 * - A record holds a list of answers, each an rdata list: we want exactly
 *   one answer ["address"]; a record with more answers is rewritten to
 *   the one address (said in the log). Filters and metadata are kept:
 *   POST changes only the fields sent.
 * - ttl is sent only when configured; a new record otherwise takes the
 *   zone's default TTL.
 * - Errors are {"message":"..."}: 401 a wrong key, 403 a key without the
 *   zone permissions, 404 an unknown zone or record, 429 the rate limit
 *   (the X-RateLimit-* headers give no Retry-After: we wait 60 seconds
 *   unless a Retry-After comes).
 * - No record id is needed: the state keeps the zone, so a later change
 *   is one POST; a record deleted by hand answers 404 and is created.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "ns1.h"

#define NS1_ENDPOINT	"https://api.nsone.net/v1"
#define NS1_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define NS1_MSG_MAX	400
#define NS1_HINT_401	"check api_key: an NS1 API key, from the portal's " \
	"Account settings, Users & Teams, API Keys"
#define NS1_HINT_403	"the API key lacks a permission: it needs DNS " \
	"\"View zones\" and \"Manage zones\" for this zone"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct ns1c {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the X-NSONE-Key header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "ns1: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see ns1.h. */
enum outcome
ns1_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[NS1_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && !json_is_object(root)) {
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	if (root != NULL && is2xx(status)) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (root == NULL && is2xx(status)) {
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not an NS1 API reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s}", "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no NS1 error in the "
		    "reply)");
	if (status == 401)
		hint = NS1_HINT_401;
	else if (status == 403)
		hint = NS1_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether root describes the zone; see ns1.h. */
int
ns1_parse_zone(json_t *root, const char *zone)
{
	const char	*name;

	if (json_unpack(root, "{s:s}", "zone", &name) == -1)
		return -1;
	return strcasecmp(name, zone) == 0;
}

/* Free what an ns1_rec holds and zero it; NULL is a no-op. */
void
ns1_rec_free(struct ns1_rec *r)
{
	if (r == NULL)
		return;
	free(r->answer);
	memset(r, 0, sizeof(*r));
}

/* Parse a record; see ns1.h. */
int
ns1_parse_record(json_t *root, const char *domain, const char *type,
    struct ns1_rec *r, char **why)
{
	json_t		*list, *a, *rdata, *jt;
	const char	*d, *t;

	memset(r, 0, sizeof(*r));
	*why = NULL;
	if (json_unpack(root, "{s:s, s:s}", "domain", &d, "type", &t) == -1) {
		*why = xasprintf("no domain and type in the reply");
		return -1;
	}
	if (strcasecmp(d, domain) != 0 || strcmp(t, type) != 0) {
		*why = xasprintf("the reply is about %s %s, not %s %s", d, t,
		    domain, type);
		return -1;
	}
	list = json_object_get(root, "answers");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"answers\" array in the reply");
		return -1;
	}
	r->nanswers = json_array_size(list);
	if (r->nanswers > 0) {
		a = json_array_get(list, 0);
		rdata = json_object_get(a, "answer");
		if (!json_is_array(rdata) ||
		    !json_is_string(json_array_get(rdata, 0))) {
			*why = xasprintf("answer 0 has no \"answer\" rdata list");
			goto bad;
		}
		if ((r->answer = strdup(json_string_value(json_array_get(rdata,
		    0)))) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
	}
	jt = json_object_get(root, "ttl");
	if (json_is_integer(jt))
		r->ttl = (long)json_integer_value(jt);
	return 0;
bad:
	ns1_rec_free(r);
	return -1;
}

/* Whether have is current; see ns1.h. */
int
ns1_current(const struct ns1_rec *have, const char *data, long ttl)
{
	if (have->nanswers != 1 || have->answer == NULL ||
	    !provider_same_address(have->answer, data))
		return 0;
	return ttl <= 0 || ttl == have->ttl;
}

/* Build a PUT or POST body; see ns1.h. */
char *
ns1_build_body(int create, const char *zone, const char *domain,
    const char *type, const char *data, long ttl)
{
	json_t	*o;
	char	*s = NULL;

	if (create)
		o = json_pack("{s:s, s:s, s:s, s:[{s:[s]}]}", "zone", zone,
		    "domain", domain, "type", type, "answers", "answer", data);
	else
		o = json_pack("{s:[{s:[s]}]}", "answers", "answer", data);
	if (o == NULL)
		return NULL;
	if (ttl > 0 && json_object_set_new(o, "ttl", json_integer(ttl)) == -1)
		goto out;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct ns1c *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "ns1",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = NS1_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ns1_init(struct ns1c *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*key;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("ns1: %s %s", rec->name, c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	key = rec_str(rec, "api_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key))
		return fail(c, OUT_CONFIG, xasprintf("api_key is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("X-NSONE-Key: %s", key)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    NS1_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "an NS1 zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what ns1_init() allocated. */
static void
cleanup(struct ns1c *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s); else an error outcome with *why (including
 * 404: c->status tells).
 */
static enum outcome
ns1_call(struct ns1c *c, const char *method, const char *url,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*inner = NULL;
	enum outcome	 out;

	*root = NULL;
	hdrs[0] = c->auth;
	hdrs[1] = NULL;
	c->status = 0;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = ns1_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether NS1 has the zone cand (a provider_zone_fn): OUT_CURRENT with
 * *val the name (malloc'd) or NULL when it has not, else an error
 * outcome with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct ns1c	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/zones/%s?records=false", c->base, e)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ns1_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if ((r = ns1_parse_zone(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /zones/%s: no "
		    "\"zone\" in the reply", cand), why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, cand, r ? "found" :
	    "not on this account");
	if (r && (*val = strdup(cand)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	json_decref(root);
	free(e);
	free(url);
	return out;
}

/*
 * The zone the record lives in: the configured zone, else the longest
 * suffix of the name NS1 has. OUT_CURRENT with *zone (malloc'd, caller
 * frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct ns1c *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "NS1 zone";
	w.hint = "add the zone in the NS1 portal, or set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("ns1:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* The URL of the record in zone (malloc'd), or NULL. */
static char *
record_url(struct ns1c *c, const char *zone)
{
	char	*ez, *en, *url = NULL;

	ez = http_pctenc(zone);
	en = http_pctenc(c->rec->name);
	if (ez != NULL && en != NULL)
		url = xasprintf("%s/zones/%s/%s/%s", c->base, ez, en, c->type);
	free(ez);
	free(en);
	return url;
}

/*
 * PUT (create) or POST the record in zone. OUT_UPDATED with
 * ctx->new_record_id set to the zone, or an error outcome with *why.
 */
static enum outcome
ns1_write(struct ns1c *c, const char *zone, int create, char **why)
{
	struct ns1_rec	 got;
	json_t		*root = NULL;
	char		*url = NULL, *body = NULL, *inner = NULL;
	enum outcome	 out;

	memset(&got, 0, sizeof(got));
	if ((url = record_url(c, zone)) == NULL ||
	    (body = ns1_build_body(create, zone, c->rec->name, c->type,
	    c->data, c->rec->ttl)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, create ? "creating" : "updating",
	    body);
	if ((out = ns1_call(c, create ? "PUT" : "POST", url, body, &root,
	    why)) != OUT_CURRENT)
		goto out;
	if (ns1_parse_record(root, c->rec->name, c->type, &got,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: %s",
		    c->status, inner), why);
		free(inner);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = strdup(zone)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	json_decref(root);
	ns1_rec_free(&got);
	free(url);
	free(body);
	return out;
}

/*
 * The one-call update through the zone the state remembers: OUT_UPDATED
 * or an error outcome with *why; or -1, nothing set, when the stored zone
 * does not fit or the record is gone and the caller should look it up.
 */
static int
update_known(struct ns1c *c, char **why)
{
	const char	*zone = c->ctx->record_id;
	size_t		 nl, zl;
	enum outcome	 out;

	/* A zone changed in the configuration wins over the state, and
	 * the stored zone must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		return -1;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (zl == 0 || strchr(zone, '.') == NULL || provider_has_ctl(zone) ||
	    nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		return -1;
	out = ns1_write(c, zone, 0, why);
	if (out != OUT_UPDATED && c->status == 404) {
		log_info("%s: not in zone %s any more; looking it up",
		    c->label, zone);
		free(*why);
		*why = NULL;
		return -1;
	}
	return out;
}

/*
 * Find the record and create it, update it, or find it current. The
 * outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ns1c *c, char **why)
{
	struct ns1_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *url = NULL, *inner = NULL;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((url = record_url(c, zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ns1_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = ns1_write(c, zone, 1, why);
		goto out;
	}
	if (out != OUT_CURRENT)
		goto out;
	if (ns1_parse_record(root, c->rec->name, c->type, &have,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (ns1_current(&have, c->data, c->rec->ttl)) {
		log_info("%s: record already holds %s", c->label, c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = strdup(zone)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	if (have.nanswers > 1)
		log_warnx("%s: %zu answers; replacing them with %s", c->label,
		    have.nanswers, c->data);
	out = ns1_write(c, zone, 0, why);
out:
	json_decref(root);
	ns1_rec_free(&have);
	free(zone);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ns1c	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ns1_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored zone tells us nothing when the record
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
	struct ns1c	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ns1_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_ns1 = {
	.name = "ns1",
	.keys = keys,
	.push = push,
	.check = check,
};
