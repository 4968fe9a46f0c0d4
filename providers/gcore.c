/*
 * gcore: Gcore Managed DNS, API v2.
 * https://api.gcore.com/docs/dns
 *
 * Quirks handled:
 * - The permanent API token goes in "Authorization: APIKey <token>".
 *   RRsets are addressed by zone, FULL name and type:
 *   /v2/zones/{zone}/{name}/{type}; POST creates, PUT replaces the whole
 *   RRset (ttl and resource_records), GET reads, 404 when missing.
 * - The zone is the configured one, else the longest suffix of the name
 *   of two labels or more that GET /v2/zones/{zone} finds (404 means "not
 *   this one"); answers, misses included, are cached for the run.
 * - An RRset holds resource records, each a content list: we want
 *   exactly one, ["address"]; more are replaced by the one address (said
 *   in the log). PUT replaces the RRset, so the ttl is always sent: the
 *   configured one, else the one the RRset had, else 300 for a new one.
 * - Names may come back with a trailing dot; it is ignored.
 * - Errors are {"error":"..."} (some gateways answer {"message":"..."}):
 *   401 a wrong or expired token, 403 a token whose role may not change
 *   DNS, 404 an unknown zone or RRset, 429 the rate limit (Retry-After
 *   honoured, else 60 seconds).
 * - The state keeps "<zone>/<ttl>", so a later change is one PUT that
 *   keeps the TTL; an RRset deleted by hand answers 404 and is created.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "gcore.h"

#define GC_ENDPOINT	"https://api.gcore.com/dns/v2"
#define GC_TTL		300	/* for new RRsets when none is set */
#define GC_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define GC_MSG_MAX	400
#define GC_HINT_401	"check api_key: a permanent API token, from the " \
	"Gcore Customer Portal's profile, API Tokens"
#define GC_HINT_403	"the token's role may not change DNS: create it " \
	"with the Administrators or Engineers role"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct gcc {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "gcore: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see gcore.h. */
enum outcome
gc_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[GC_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else if (is2xx(status))
		return OUT_CURRENT;	/* a write may answer with no body */
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
		*why = xasprintf("HTTP %ld: not a Gcore DNS API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL && json_unpack(root, "{s:s}", "error", &msg) == -1)
		json_unpack(root, "{s:s}", "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no Gcore error in the "
		    "reply)");
	if (status == 401)
		hint = GC_HINT_401;
	else if (status == 403)
		hint = GC_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* 1 if the DNS names a and b are the same, a trailing dot and case
 * ignored, else 0. */
static int
same_name(const char *a, const char *b)
{
	size_t	 al = strlen(a), bl = strlen(b);

	if (al > 0 && a[al - 1] == '.')
		al--;
	if (bl > 0 && b[bl - 1] == '.')
		bl--;
	return al == bl && strncasecmp(a, b, al) == 0;
}

/* Whether root describes the zone; see gcore.h. */
int
gc_parse_zone(json_t *root, const char *zone)
{
	const char	*name;

	if (json_unpack(root, "{s:s}", "name", &name) == -1)
		return -1;
	return same_name(name, zone);
}

/* Free what a gc_rec holds and zero it; NULL is a no-op. */
void
gc_rec_free(struct gc_rec *r)
{
	if (r == NULL)
		return;
	free(r->answer);
	memset(r, 0, sizeof(*r));
}

/* Parse an RRset; see gcore.h. */
int
gc_parse_record(json_t *root, const char *name, const char *type,
    struct gc_rec *r, char **why)
{
	json_t		*list, *rr, *content, *jt;
	const char	*n, *t;

	memset(r, 0, sizeof(*r));
	*why = NULL;
	if (json_unpack(root, "{s:s, s:s}", "name", &n, "type", &t) == -1) {
		*why = xasprintf("no name and type in the reply");
		return -1;
	}
	if (!same_name(n, name) || strcasecmp(t, type) != 0) {
		*why = xasprintf("the reply is about %s %s, not %s %s", n, t,
		    name, type);
		return -1;
	}
	list = json_object_get(root, "resource_records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"resource_records\" array in the reply");
		return -1;
	}
	r->nanswers = json_array_size(list);
	if (r->nanswers > 0) {
		rr = json_array_get(list, 0);
		content = json_object_get(rr, "content");
		if (!json_is_array(content) ||
		    !json_is_string(json_array_get(content, 0))) {
			*why = xasprintf("resource record 0 has no \"content\" "
			    "list");
			goto bad;
		}
		if ((r->answer = strdup(json_string_value(json_array_get(
		    content, 0)))) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
	}
	jt = json_object_get(root, "ttl");
	if (json_is_integer(jt))
		r->ttl = (long)json_integer_value(jt);
	return 0;
bad:
	gc_rec_free(r);
	return -1;
}

/* Whether have is current; see gcore.h. */
int
gc_current(const struct gc_rec *have, const char *data, long ttl)
{
	if (have->nanswers != 1 || have->answer == NULL ||
	    !provider_same_address(have->answer, data))
		return 0;
	return ttl <= 0 || ttl == have->ttl;
}

/* Build a POST or PUT body; see gcore.h. */
char *
gc_build_body(const char *data, long ttl)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:I, s:[{s:[s]}]}", "ttl", (json_int_t)ttl,
	    "resource_records", "content", data);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct gcc *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "gcore",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = GC_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
gc_init(struct gcc *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*key;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("gcore: %s %s", rec->name, c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	key = rec_str(rec, "api_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key))
		return fail(c, OUT_CONFIG, xasprintf("api_key is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: APIKey %s", key)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    GC_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "a Gcore zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what gc_init() allocated. */
static void
cleanup(struct gcc *c)
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
gc_call(struct gcc *c, const char *method, const char *url,
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
	out = gc_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether Gcore has the zone cand (a provider_zone_fn): OUT_CURRENT with
 * *val the name (malloc'd) or NULL when it has not, else an error outcome
 * with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct gcc	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/zones/%s", c->base, e)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = gc_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if (root == NULL || (r = gc_parse_zone(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /zones/%s: no "
		    "\"name\" in the reply", cand), why);
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
 * suffix of the name Gcore has (provider_find_zone). OUT_CURRENT with
 * *zone (malloc'd, caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct gcc *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Gcore zone";
	w.hint = "add the zone under DNS, Zones, or set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("gcore:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* The URL of the RRset in zone (malloc'd), or NULL. */
static char *
record_url(struct gcc *c, const char *zone)
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
 * POST (create) or PUT the RRset in zone with ttl. OUT_UPDATED with
 * ctx->new_record_id set to "zone/ttl", or an error outcome with *why.
 */
static enum outcome
gc_write(struct gcc *c, const char *zone, int create, long ttl, char **why)
{
	json_t		*root = NULL;
	char		*url = NULL, *body = NULL;
	enum outcome	 out;

	if ((url = record_url(c, zone)) == NULL ||
	    (body = gc_build_body(c->data, ttl)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, create ? "creating" : "replacing",
	    body);
	if ((out = gc_call(c, create ? "POST" : "PUT", url, body, &root,
	    why)) != OUT_CURRENT)
		goto out;
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%ld", zone, ttl)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	json_decref(root);
	free(url);
	free(body);
	return out;
}

/*
 * The one-call update through the "zone/ttl" the state remembers:
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when the
 * stored value does not fit or the RRset is gone and the caller should
 * look it up.
 */
static int
update_known(struct gcc *c, char **why)
{
	const char	*sid = c->ctx->record_id, *slash;
	char		*zone, *end;
	long		 ttl;
	size_t		 nl, zl;
	int		 ret = -1;

	if ((slash = strrchr(sid, '/')) == NULL || slash == sid ||
	    slash[1] < '1' || slash[1] > '9')
		return -1;
	ttl = strtol(slash + 1, &end, 10);
	if (*end != '\0' || ttl <= 0 || ttl > 2147483647L)
		return -1;
	if (c->rec->ttl > 0)
		ttl = c->rec->ttl;
	if ((zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state, and
	 * the stored zone must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (strchr(zone, '.') == NULL || provider_has_ctl(zone) ||
	    nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	ret = gc_write(c, zone, 0, ttl, why);
	if (ret != OUT_UPDATED && c->status == 404) {
		log_info("%s: not in zone %s any more; looking it up",
		    c->label, zone);
		free(*why);
		*why = NULL;
		ret = -1;
	}
out:
	free(zone);
	return ret;
}

/*
 * Find the RRset and create it, replace it, or find it current. The
 * outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct gcc *c, char **why)
{
	struct gc_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *url = NULL, *inner = NULL;
	enum outcome	 out;
	long		 ttl;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((url = record_url(c, zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = gc_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = gc_write(c, zone, 1, c->rec->ttl > 0 ? c->rec->ttl :
		    GC_TTL, why);
		goto out;
	}
	if (out != OUT_CURRENT)
		goto out;
	if (root == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: an empty "
		    "reply to the RRset GET", c->status), why);
		goto out;
	}
	if (gc_parse_record(root, c->rec->name, c->type, &have,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl > 0 ? have.ttl :
	    GC_TTL;
	if (gc_current(&have, c->data, c->rec->ttl)) {
		log_info("%s: RRset already holds %s", c->label, c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%ld", zone,
		    ttl)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	if (have.nanswers > 1)
		log_warnx("%s: %zu resource records; replacing them with %s",
		    c->label, have.nanswers, c->data);
	out = gc_write(c, zone, 0, ttl, why);
out:
	json_decref(root);
	gc_rec_free(&have);
	free(zone);
	free(url);
	return out;
}

/* Make the RRset hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct gcc	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = gc_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct gcc	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (gc_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_gcore = {
	.name = "gcore",
	.keys = keys,
	.push = push,
	.check = check,
};
