/*
 * vultr: Vultr DNS records, API v2.
 * https://www.vultr.com/api/#tag/dns
 *
 * Quirks handled:
 * - Auth is "Authorization: Bearer <API key>"; a key used from an
 *   address outside the account's API Access Control list is refused
 *   with 401 like a wrong key, so the hint names both.
 * - The domain is found by asking GET /v2/domains/{name} for the
 *   configured zone, else for each suffix of the name with two labels or
 *   more, longest first; 404 means "not this one". Answers, misses
 *   included, are cached for the run.
 * - GET .../records has no name filter and is paged by cursor
 *   (meta.links.next); every page is read, up to 500 records each. Names
 *   are relative, "" for the apex.
 * - PATCH answers 204 with no body; only data (and ttl when configured)
 *   are sent, so the rest of the record survives. A new record gets ttl
 *   only when configured (Vultr's default otherwise).
 * - Errors are {"error":"...","status":N}: 401 wrong key or address not
 *   allowed, 403 a sub-account user without the DNS permission, 404 an
 *   unknown domain or record, 400 a refused value, 429 (or 503) too
 *   many requests, with Retry-After when sent, else 60 seconds.
 * - The state keeps "<domain>/<record id>", so a later change is one
 *   PATCH; a record deleted by hand answers 404 and is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "vultr.h"

#define VU_PER_PAGE	500
#define VU_MAX_PAGES	40
#define VU_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define VU_MSG_MAX	400
#define VU_HINT_401	"check api_key: the Personal Access Token from the " \
	"customer portal's Account, API page, and that API Access Control " \
	"allows this host's address"
#define VU_HINT_403	"the key's user lacks the DNS permission (Users, " \
	"Permissions: Manage DNS)"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct vup {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "vultr: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* Read a reply; see vultr.h. */
enum outcome
vu_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[VU_MSG_MAX] = "";
	enum outcome	 out;
	int		 ok = status >= 200 && status < 300;

	*rootp = NULL;
	*why = NULL;
	if (status == 204)
		return OUT_CURRENT;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && !json_is_object(root)) {
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	if (ok && root != NULL) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (ok) {
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not a Vultr API reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s}", "error", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (msg != NULL && *msg != '\0') {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no Vultr error in the "
		    "reply)");
	if (status == 401)
		hint = VU_HINT_401;
	else if (status == 403)
		hint = VU_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether root describes the domain zone; see vultr.h. */
int
vu_parse_domain(json_t *root, const char *zone)
{
	const char	*name;

	if (json_unpack(root, "{s:{s:s}}", "domain", "domain", &name) == -1)
		return -1;
	return strcasecmp(name, zone) == 0;
}

/* 1 if id looks like a Vultr record id (a UUID: hex and '-'). */
static int
id_ok(const char *id)
{
	size_t	 n = strlen(id);

	return n > 0 && n <= 64 && strspn(id, "0123456789abcdefABCDEF-") == n;
}

/* Free what a vu_rec holds and zero it; NULL is a no-op. */
void
vu_rec_free(struct vu_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* Parse a page of records; see vultr.h. */
int
vu_parse_records(json_t *root, const char *rel, const char *type,
    struct vu_rec *first, size_t *count, char **next, char **why)
{
	json_t		*list, *r, *jt;
	const char	*id, *n, *t, *d, *cur = NULL;
	size_t		 i;

	*next = NULL;
	*why = NULL;
	list = json_object_get(root, "records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"records\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s, s:s}", "id", &id, "name",
		    &n, "type", &t, "data", &d) == -1 || !id_ok(id)) {
			*why = xasprintf("record %zu lacks id, name, type or "
			    "data", i);
			return -1;
		}
		if (strcmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = strdup(id)) == NULL ||
		    (first->data = strdup(d)) == NULL) {
			vu_rec_free(first);
			*why = xasprintf("out of memory");
			return -1;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	json_unpack(root, "{s:{s:{s:s}}}", "meta", "links", "next", &cur);
	if (cur != NULL && *cur != '\0' && (*next = strdup(cur)) == NULL) {
		*why = xasprintf("out of memory");
		return -1;
	}
	return 0;
}

/* Build a create or PATCH body; see vultr.h. */
int
vu_build_body(const char *type, const char *rel, const char *data, long ttl,
    const struct vu_rec *have, char **body)
{
	json_t	*o;
	int	 n = 0;

	*body = NULL;
	if (have == NULL) {
		o = json_pack("{s:s, s:s, s:s}", "name", rel, "type", type,
		    "data", data);
		if (o != NULL && ttl > 0)
			json_object_set_new(o, "ttl", json_integer(ttl));
		n = 3;
	} else {
		if ((o = json_object()) == NULL)
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

/* The id of a POST reply; see vultr.h. */
char *
vu_parse_write(json_t *root)
{
	json_t	*v;

	v = json_object_get(json_object_get(root, "record"), "id");
	if (!json_is_string(v) || !id_ok(json_string_value(v)))
		return NULL;
	return strdup(json_string_value(v));
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; hold on what a person must fix; default the wait
 * after a bare 429/503; returns out. */
static enum outcome
fail(struct vup *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "vultr",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if ((c->status == 429 || c->status == 503) &&
	    c->ctx->retry_after <= 0)
		c->ctx->retry_after = VU_WAIT_429;
	if (out == OUT_AUTH || out == OUT_CONFIG)
		c->ctx->hold = 1;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
vup_init(struct vup *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("vultr: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "api_key");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("api_key is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    VULTR_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "a Vultr domain has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what vup_init() allocated. */
static void
cleanup(struct vup *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (NULL after a 204; caller json_decref()s); else an error outcome with
 * *why (including 404: c->status tells; nothing held for it).
 */
static enum outcome
vup_call(struct vup *c, const char *method, const char *url,
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
	out = vu_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(c, out, inner, why);
		if (c->status == 404)
			c->ctx->hold = 0;	/* the caller decides */
	}
	return out;
}

/* Whether Vultr has the domain cand (a provider_zone_fn): OUT_CURRENT
 * with *val the name (malloc'd) or NULL when it has not, else an error
 * outcome with *why. */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct vup	*c = arg;
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
	out = vup_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if (root == NULL || (r = vu_parse_domain(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /domains/%s: no "
		    "domain.domain in the reply", cand), why);
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

/* The domain the record lives in: the configured zone, else the longest
 * suffix of the name Vultr has. OUT_CURRENT with *zone (malloc'd, caller
 * frees), else an outcome with *why. */
static enum outcome
find_zone(struct vup *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Vultr domain";
	w.hint = "add the domain under Products, Network, DNS, or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("vultr:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/*
 * POST (id NULL) or PATCH the record id in zone with body. OUT_UPDATED
 * and ctx->new_record_id set, or an error outcome with *why; *gone is set
 * when a PATCH answers 404.
 */
static enum outcome
vup_write(struct vup *c, const char *zone, const char *id, const char *body,
    int *gone, char **why)
{
	json_t		*root = NULL;
	char		*ez = NULL, *url = NULL, *nid = NULL;
	enum outcome	 out;

	*gone = 0;
	if ((ez = http_pctenc(zone)) == NULL ||
	    (url = id == NULL ? xasprintf("%s/domains/%s/records", c->base,
	    ez) : xasprintf("%s/domains/%s/records/%s", c->base, ez, id)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, id == NULL ? "creating" : "updating",
	    body);
	if ((out = vup_call(c, id == NULL ? "POST" : "PATCH", url, body,
	    &root, why)) != OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		if (c->status == 404 && !*gone)
			c->ctx->hold = 1;
		goto out;
	}
	if (id == NULL && (nid = vu_parse_write(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no record.id "
		    "in the reply", c->status), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, id != NULL ?
	    id : nid)) == NULL)
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

/* The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no
 * usable id or the record is gone and the caller should look it up. */
static int
update_known(struct vup *c, char **why)
{
	struct vu_rec	 none;
	const char	*slash, *sid = c->ctx->record_id;
	char		*zone = NULL, *body = NULL;
	size_t		 nl, zl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strrchr(sid, '/')) == NULL || slash == sid ||
	    !id_ok(slash + 1))
		return -1;
	if ((zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	memset(&none, 0, sizeof(none));
	none.data = "";
	if (vu_build_body(c->type, NULL, c->data, c->rec->ttl, &none,
	    &body) == -1) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = vup_write(c, zone, slash + 1, body, &gone, why);
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

/* Find the record by name and type, reading every page, and create it,
 * update what differs, or find it current. The outcome, with *why. */
static enum outcome
update_lookup(struct vup *c, char **why)
{
	struct vu_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *rel = NULL, *ez = NULL, *url = NULL;
	char		*body = NULL, *inner = NULL, *next = NULL, *ec;
	size_t		 count = 0;
	enum outcome	 out;
	int		 n, gone, page;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (ez = http_pctenc(zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	for (page = 0; ; page++) {
		if (page == VU_MAX_PAGES) {
			out = fail(c, OUT_PROTOCOL, xasprintf("more than %d "
			    "pages of records", VU_MAX_PAGES), why);
			goto out;
		}
		ec = next != NULL ? http_pctenc(next) : NULL;
		free(url);
		url = next == NULL ? xasprintf("%s/domains/%s/records?"
		    "per_page=%d", c->base, ez, VU_PER_PAGE) : ec == NULL ?
		    NULL : xasprintf("%s/domains/%s/records?per_page=%d&"
		    "cursor=%s", c->base, ez, VU_PER_PAGE, ec);
		free(ec);
		free(next);
		next = NULL;
		if (url == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		json_decref(root);
		if ((out = vup_call(c, "GET", url, NULL, &root, why)) !=
		    OUT_CURRENT) {
			if (c->status == 404)
				c->ctx->hold = 1;
			goto out;
		}
		if (root == NULL || vu_parse_records(root, rel, c->type, &have,
		    &count, &next, &inner) == -1) {
			out = fail(c, OUT_PROTOCOL, inner != NULL ? inner :
			    xasprintf("HTTP %ld: no records", c->status), why);
			goto out;
		}
		if (next == NULL)
			break;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if ((n = vu_build_body(c->type, rel, c->data, c->rec->ttl,
	    count > 0 ? &have : NULL, &body)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		c->ctx->new_record_id = xasprintf("%s/%s", zone, have.id);
		out = c->ctx->new_record_id != NULL ? OUT_CURRENT :
		    fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = vup_write(c, zone, count > 0 ? have.id : NULL, body, &gone, why);
	if (gone)
		c->ctx->hold = 0;
out:
	json_decref(root);
	vu_rec_free(&have);
	free(zone);
	free(rel);
	free(ez);
	free(url);
	free(body);
	free(next);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct vup	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = vup_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells nothing when the record
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
	struct vup	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (vup_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_vultr = {
	.name = "vultr",
	.keys = keys,
	.push = push,
	.check = check,
};
