/*
 * infomaniak: Infomaniak DNS zones, API v2 (/2/zones/{zone}/records).
 * https://developer.infomaniak.com/docs/api/get/2/zones/%7Bzone%7D/records
 * and https://developer.infomaniak.com/getting-started (envelope, limits)
 *
 * Quirks handled:
 * - Auth is "Authorization: Bearer <API token>".
 * - Every reply is {"result":"success","data":...} or
 *   {"result":"error","error":{"code","description"}}; a 2xx without
 *   "success" is not trusted.
 * - Zones are addressed by their name only (the numeric id in the zone
 *   object is not accepted in paths). The zone is the "zone" key, else
 *   the longest suffix of the name (two labels or more) for which GET
 *   /2/zones/{name} answers 200; answers are cached for the run.
 * - A record's "source" is relative, "." for the apex. The list's
 *   filter[source] and filter[types][] are checked again here.
 * - Every record has a TTL, sent with each write: the one in use is kept
 *   unless "ttl" is configured; new records get 3600.
 * - POST answers 201 (its documentation says 200): both are accepted.
 * - The API allows 60 requests per minute; 429 waits for Retry-After,
 *   else 60 s.
 * - The state keeps "<zone>/<record id>/<ttl>", so a later change is one
 *   PUT; a record deleted meanwhile (404) is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "infomaniak.h"

#define IK_ENDPOINT	"https://api.infomaniak.com"
#define IK_TTL		3600
#define IK_WAIT_429	60
#define IK_MSG_MAX	400
#define IK_HINT_401	"check token: an Infomaniak API token from the " \
	"Manager's API tokens page, with the domain (DNS) scope"
#define IK_HINT_403	"the token or its user may not manage this zone's " \
	"DNS: give the token the domain scope and the user the rights"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct ikp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "infomaniak: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* Read a reply; see infomaniak.h. */
enum outcome
ik_reply(long status, const char *body, json_t **datap, char **why)
{
	json_t		*root = NULL, *d;
	json_error_t	 jerr;
	const char	*res = NULL, *code = NULL, *desc = NULL, *hint = NULL;
	char		 buf[IK_MSG_MAX] = "";
	enum outcome	 out;

	*datap = NULL;
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
	if (root != NULL)
		json_unpack(root, "{s?:s, s?:{s?:s, s?:s}}", "result", &res,
		    "error", "code", &code, "description", &desc);
	if (status >= 200 && status < 300) {
		if (root != NULL && res != NULL &&
		    strcmp(res, "success") == 0 &&
		    (d = json_object_get(root, "data")) != NULL) {
			*datap = json_incref(d);
			json_decref(root);
			return OUT_CURRENT;
		}
		provider_append(buf, sizeof(buf), root == NULL ? jerr.text :
		    "no \"result\":\"success\" with \"data\"");
		json_decref(root);
		*why = xasprintf("HTTP %ld: not an Infomaniak API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (code != NULL || desc != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (code != NULL)
			provider_append(buf, sizeof(buf), code);
		if (code != NULL && desc != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (desc != NULL)
			provider_append(buf, sizeof(buf), desc);
	} else
		provider_append(buf, sizeof(buf), " (no Infomaniak error in "
		    "the reply)");
	if (status == 401)
		hint = IK_HINT_401;
	else if (status == 403)
		hint = IK_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether data is zone; see infomaniak.h. */
int
ik_is_zone(json_t *data, const char *zone)
{
	const char	*fqdn;
	size_t		 n;

	if (json_unpack(data, "{s:s}", "fqdn", &fqdn) == -1)
		return -1;
	n = strlen(fqdn);
	if (n > 0 && fqdn[n - 1] == '.')
		n--;
	return n == strlen(zone) && strncasecmp(fqdn, zone, n) == 0;
}

/* Free what an ik_rec holds and zero it; NULL is a no-op. */
void
ik_rec_free(struct ik_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->target);
	memset(r, 0, sizeof(*r));
}

/* 1 if the record source s names src ("." and "" both the apex). */
static int
same_source(const char *s, const char *src)
{
	int	 a = s[0] == '\0' || strcmp(s, ".") == 0;
	int	 b = src[0] == '\0' || strcmp(src, ".") == 0;

	if (a || b)
		return a && b;
	return strcasecmp(s, src) == 0;
}

/* Find src and type; see infomaniak.h. */
int
ik_find(json_t *list, const char *src, const char *type,
    struct ik_rec *first, size_t *count, char **why)
{
	json_t		*r, *jt;
	const char	*s, *t, *tg;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	if (!json_is_array(list)) {
		*why = xasprintf("the record list is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "source", &s, "type", &t,
		    "target", &tg) == -1) {
			*why = xasprintf("record %zu lacks source, type or "
			    "target", i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || !same_source(s, src))
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->target = strdup(tg)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	ik_rec_free(first);
	*count = 0;
	return -1;
}

/* The written record's id; see infomaniak.h. */
char *
ik_written_id(json_t *data)
{
	return provider_json_id(json_object_get(data, "id"));
}

/* The body of a write; see infomaniak.h. */
char *
ik_body(const char *src, const char *type, const char *target, long ttl)
{
	json_t	*o;
	char	*s;

	if (src != NULL)
		o = json_pack("{s:s, s:I, s:s, s:s}", "type", type, "ttl",
		    (json_int_t)ttl, "source", src, "target", target);
	else
		o = json_pack("{s:s, s:I}", "target", target, "ttl",
		    (json_int_t)ttl);
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
fail(struct ikp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "infomaniak", inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = IK_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ik_init(struct ikp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("infomaniak: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "token");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("token is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    IK_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: an "
		    "Infomaniak zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what ik_init() allocated. */
static void
cleanup(struct ikp *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->label);
}

/* Send method url with body (or none): OUT_CURRENT with *data (caller
 * json_decref()s), else an outcome with *why (c->status tells a 404). */
static enum outcome
ik_call(struct ikp *c, const char *method, const char *url,
    const char *body, json_t **data, char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*inner = NULL;
	enum outcome	 out;

	*data = NULL;
	hdrs[0] = c->auth;
	hdrs[1] = NULL;
	c->status = 0;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = ik_reply(resp.status, resp.body, data, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether Infomaniak has the zone cand (a provider_zone_fn): OUT_CURRENT
 * with *val the name (malloc'd) or NULL when it has not, else an outcome
 * with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct ikp	*c = arg;
	json_t		*data = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/2/zones/%s", c->base, e)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ik_call(c, "GET", url, NULL, &data, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if ((r = ik_is_zone(data, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /2/zones/%s: no "
		    "\"fqdn\" in the reply", cand), why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, cand, r ? "found" :
	    "not on this account");
	if (r && (*val = strdup(cand)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	json_decref(data);
	free(e);
	free(url);
	return out;
}

/* The zone of the record: OUT_CURRENT with *zone (malloc'd), else an
 * outcome with *why. */
static enum outcome
find_zone(struct ikp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Infomaniak DNS zone";
	w.hint = "is the domain's DNS zone hosted by Infomaniak? or set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("infomaniak:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* The source of the name in zone ("." for the apex), malloc'd. */
static char *
source(const char *name, const char *zone)
{
	size_t	 nl = strlen(name), zl = strlen(zone);

	if (nl <= zl)
		return strdup(".");
	return strndup(name, nl - zl - 1);
}

/*
 * POST (id NULL) or PUT the record id in zone. OUT_UPDATED with
 * ctx->new_record_id, or an outcome with *why; *gone on a 404 for a PUT.
 */
static enum outcome
ik_write(struct ikp *c, const char *zone, const char *src, const char *id,
    long ttl, int *gone, char **why)
{
	json_t		*data = NULL;
	char		*ez = NULL, *url = NULL, *body = NULL, *nid = NULL;
	enum outcome	 out;

	*gone = 0;
	if ((ez = http_pctenc(zone)) == NULL ||
	    (url = id == NULL ? xasprintf("%s/2/zones/%s/records", c->base,
	    ez) : xasprintf("%s/2/zones/%s/records/%s", c->base, ez, id)) ==
	    NULL || (body = ik_body(id == NULL ? src : NULL, c->type, c->data,
	    ttl)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, id == NULL ? "creating" : "updating",
	    body);
	if ((out = ik_call(c, id == NULL ? "POST" : "PUT", url, body, &data,
	    why)) != OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		goto out;
	}
	if ((nid = ik_written_id(data)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no record "
		    "id in the reply", c->status), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s/%ld", zone, nid, ttl)) ==
	    NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	json_decref(data);
	free(ez);
	free(url);
	free(body);
	free(nid);
	return out;
}

/*
 * The one-call update through the state's "zone/id/ttl": OUT_UPDATED or
 * an outcome with *why; -1, nothing set, when unusable or gone.
 */
static int
update_known(struct ikp *c, char **why)
{
	const char	*sid = c->ctx->record_id, *s1, *s2;
	char		*zone = NULL, *id = NULL, *end;
	size_t		 nl, zl;
	long		 ttl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((s1 = strchr(sid, '/')) == NULL || (s2 = strrchr(sid, '/')) ==
	    s1 || s1 == sid || s2 == s1 + 1 || s2[1] == '\0')
		return -1;
	ttl = strtol(s2 + 1, &end, 10);
	if (*end != '\0' || ttl <= 0)
		return -1;
	if ((zone = strndup(sid, s1 - sid)) == NULL ||
	    (id = strndup(s1 + 1, s2 - s1 - 1)) == NULL ||
	    strspn(id, "0123456789") != strlen(id))
		goto out;
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	out = ik_write(c, zone, NULL, id, c->rec->ttl > 0 ? c->rec->ttl : ttl,
	    &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", c->label, id);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	free(id);
	return ret;
}

/* Find the record and create, update or find it current; the outcome,
 * with *why on failure. */
static enum outcome
update_lookup(struct ikp *c, char **why)
{
	struct ik_rec	 have;
	json_t		*data = NULL;
	char		*zone = NULL, *src = NULL, *ez = NULL, *es = NULL;
	char		*url = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;
	int		 gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((src = source(c->rec->name, zone)) == NULL ||
	    (ez = http_pctenc(zone)) == NULL ||
	    (es = http_pctenc(src)) == NULL ||
	    (url = xasprintf("%s/2/zones/%s/records?filter%%5Bsource%%5D=%s&"
	    "filter%%5Btypes%%5D%%5B%%5D=%s&per_page=100", c->base, ez, es,
	    c->type)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ik_call(c, "GET", url, NULL, &data, why)) != OUT_CURRENT)
		goto out;
	if (ik_find(data, src, c->type, &have, &count, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	ttl = c->rec->ttl > 0 ? c->rec->ttl : count > 0 && have.ttl > 0 ?
	    have.ttl : IK_TTL;
	if (count > 0 && provider_same_address(have.target, c->data) &&
	    ttl == have.ttl) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s/%ld", zone,
		    have.id, ttl)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = ik_write(c, zone, src, count > 0 ? have.id : NULL, ttl, &gone,
	    why);
out:
	json_decref(data);
	ik_rec_free(&have);
	free(zone);
	free(src);
	free(ez);
	free(es);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ikp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ik_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
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
	struct ikp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ik_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_infomaniak = {
	.name = "infomaniak",
	.keys = keys,
	.push = push,
	.check = check,
};
