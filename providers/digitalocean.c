/*
 * digitalocean: DigitalOcean DNS domain records, API v2.
 * https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records
 *
 * Quirks handled:
 * - Records live under the domain's name, so the zone is found by asking
 *   GET /v2/domains/{name} for the configured zone, else for each suffix
 *   of the name with two labels or more, longest first; 404 means "not
 *   this one". Answers, misses included, are cached for the run.
 * - GET .../records takes name= as the FULLY QUALIFIED name, but each
 *   record's "name" in the reply is relative ("@" for the apex); the
 *   filter is checked again here so an API or proxy ignoring it cannot
 *   get another record rewritten.
 * - PATCH needs "type" in its body even when it does not change; only
 *   data (and ttl when configured) are sent with it, so the rest of the
 *   record survives. New records get ttl 1800 (the control panel's
 *   default) unless configured; the API refuses a ttl under 30 (422).
 * - Errors are {"id":"unauthorized","message":"...","request_id":...}:
 *   401 is a wrong or revoked token, 403 a token without the domain
 *   scopes, 404 an unknown domain or record, 422 a refused value.
 * - 429 carries Retry-After (since August 2023) besides the ratelimit-*
 *   headers; without one we wait 60 seconds.
 * - The state keeps "<domain>/<record id>", so a later change is one
 *   PATCH; a record deleted by hand answers 404 and is looked up again.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "digitalocean.h"

#define DO_ENDPOINT	"https://api.digitalocean.com/v2"
#define DO_TTL		1800	/* for new records when none is set */
#define DO_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define DO_MSG_MAX	400
#define DO_HINT_401	"check token: a DigitalOcean personal access " \
	"token, from the control panel's API page, Tokens"
#define DO_HINT_403	"the token lacks a scope: it needs domain:read, " \
	"domain:create and domain:update (or full access)"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct dop {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "digitalocean: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see digitalocean.h. */
enum outcome
do_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*id = NULL, *msg = NULL, *hint = NULL;
	char		 buf[DO_MSG_MAX] = "";
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
		*why = xasprintf("HTTP %ld: not a DigitalOcean API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s, s?:s}", "id", &id, "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (id != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (id != NULL)
			provider_append(buf, sizeof(buf), id);
		if (id != NULL && msg != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no DigitalOcean error in the "
		    "reply)");
	if (status == 401)
		hint = DO_HINT_401;
	else if (status == 403)
		hint = DO_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether root describes the domain zone; see digitalocean.h. */
int
do_parse_domain(json_t *root, const char *zone)
{
	const char	*name;

	if (json_unpack(root, "{s:{s:s}}", "domain", "name", &name) == -1)
		return -1;
	return strcasecmp(name, zone) == 0;
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

/* Free what a do_rec holds and zero it; NULL is a no-op. */
void
do_rec_free(struct do_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* Parse a record list; see digitalocean.h. */
int
do_parse_records(json_t *root, const char *rel, const char *type,
    struct do_rec *first, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*n, *t, *d;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(root, "domain_records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"domain_records\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "name", &n, "type", &t,
		    "data", &d) == -1) {
			*why = xasprintf("record %zu lacks name, type or data",
			    i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		first->id = scalar(json_object_get(r, "id"));
		if (first->id == NULL || first->id[0] == '\0' ||
		    strspn(first->id, "0123456789") != strlen(first->id)) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->data = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	do_rec_free(first);
	*count = 0;
	return -1;
}

/* The written record's id; see digitalocean.h. */
char *
do_parse_write(json_t *root)
{
	char	*id;

	id = scalar(json_object_get(json_object_get(root, "domain_record"),
	    "id"));
	if (id != NULL && (id[0] == '\0' ||
	    strspn(id, "0123456789") != strlen(id))) {
		free(id);
		id = NULL;
	}
	return id;
}

/* Build a create or PATCH body; see digitalocean.h. */
int
do_build_body(const char *type, const char *rel, const char *data, long ttl,
    const struct do_rec *have, char **body)
{
	json_t	*o;
	int	 n = 0;

	*body = NULL;
	if (have == NULL) {
		o = json_pack("{s:s, s:s, s:s, s:I}", "type", type, "name", rel,
		    "data", data, "ttl", (json_int_t)(ttl > 0 ? ttl : DO_TTL));
		n = 4;
	} else {
		if ((o = json_pack("{s:s}", "type", type)) == NULL)
			return -1;
		if (!provider_same_address(have->data, data)) {
			json_object_set_new(o, "data", json_string(data));
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
fail(struct dop *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "digitalocean", inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = DO_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
dop_init(struct dop *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("digitalocean: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "token");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("token is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    DO_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "a DigitalOcean domain has two labels or more",
		    rec->name), why);
	return OUT_CURRENT;
}

/* Free what dop_init() allocated. */
static void
cleanup(struct dop *c)
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
dop_call(struct dop *c, const char *method, const char *url,
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
	out = do_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether DigitalOcean has the domain cand (a provider_zone_fn):
 * OUT_CURRENT with *val the name (malloc'd) or NULL when it has not, else
 * an error outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct dop	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/domains/%s", c->base, e)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = dop_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if ((r = do_parse_domain(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /domains/%s: no "
		    "domain.name in the reply", cand), why);
		goto out;
	}
	log_info("%s: domain %s: %s", c->label, cand, r ? "found" :
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
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name DigitalOcean has. OUT_CURRENT with *zone (malloc'd,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct dop *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "DigitalOcean domain";
	w.hint = "add the domain under Networking, Domains, or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("digitalocean:%s", c->base)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/*
 * POST (id NULL) or PATCH the record id in zone with body. OUT_UPDATED and
 * ctx->new_record_id set, or an error outcome with *why; *gone is set when
 * a PATCH answers 404.
 */
static enum outcome
dop_write(struct dop *c, const char *zone, const char *id, const char *body,
    int *gone, char **why)
{
	json_t		*root = NULL;
	char		*ez = NULL, *url = NULL, *nid = NULL;
	enum outcome	 out;

	*gone = 0;
	if ((ez = http_pctenc(zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	url = id == NULL ? xasprintf("%s/domains/%s/records", c->base, ez) :
	    xasprintf("%s/domains/%s/records/%s", c->base, ez, id);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, id == NULL ? "creating" : "updating",
	    body);
	if ((out = dop_call(c, id == NULL ? "POST" : "PATCH", url, body,
	    &root, why)) != OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		goto out;
	}
	if ((nid = do_parse_write(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no "
		    "domain_record.id in the reply", c->status), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, nid)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	json_decref(root);
	free(ez);
	free(url);
	free(nid);
	return out;
}

/*
 * The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the record is gone and the caller should look it up.
 */
static int
update_known(struct dop *c, char **why)
{
	struct do_rec	 none;
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
	 * the stored domain must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	memset(&none, 0, sizeof(none));
	none.data = "";
	if (do_build_body(c->type, NULL, c->data, c->rec->ttl, &none,
	    &body) == -1) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = dop_write(c, zone, slash + 1, body, &gone, why);
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
 * Find the record by name and type and create it, update what differs,
 * or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct dop *c, char **why)
{
	struct do_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *rel = NULL, *ez = NULL, *en = NULL;
	char		*url = NULL, *body = NULL, *inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;
	int		 n, gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "@")) == NULL ||
	    (ez = http_pctenc(zone)) == NULL ||
	    (en = http_pctenc(c->rec->name)) == NULL ||
	    (url = xasprintf("%s/domains/%s/records?type=%s&name=%s&"
	    "per_page=200", c->base, ez, c->type, en)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = dop_call(c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if (do_parse_records(root, rel, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if ((n = do_build_body(c->type, rel, c->data, c->rec->ttl,
	    count > 0 ? &have : NULL, &body)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
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
	out = dop_write(c, zone, count > 0 ? have.id : NULL, body, &gone,
	    why);
out:
	json_decref(root);
	do_rec_free(&have);
	free(zone);
	free(rel);
	free(ez);
	free(en);
	free(url);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct dop	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = dop_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct dop	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (dop_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_digitalocean = {
	.name = "digitalocean",
	.keys = keys,
	.push = push,
	.check = check,
};
