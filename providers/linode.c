/*
 * linode: Linode (Akamai Cloud) API v4 domains and domain records.
 * https://techdocs.akamai.com/linode-api/reference/get-domains
 * https://techdocs.akamai.com/linode-api/reference/domain-records
 *
 * Quirks handled:
 * - Records live in domains addressed by numeric id: GET /domains with an
 *   X-Filter header {"domain": name} finds it, for the configured zone or
 *   each suffix of the name of two labels or more, longest first; answers,
 *   "none" included, are cached for the run. A slave domain's records
 *   cannot be written (its master holds them).
 * - Record names are relative to the domain, "" for the apex; listing is
 *   paginated (page_size 500), and every page is read until the record is
 *   found.
 * - ttl_sec takes only some values (0 = the domain's default, 30, 120,
 *   300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800,
 *   1209600, 2419200) and Linode rounds any other up: the comparison uses
 *   the rounded value, so a ttl of 600 does not rewrite the record every
 *   run.
 * - The state keeps "<domain_id>/<record_id>", so a later change is one
 *   PUT (which takes just the fields given); a record deleted by hand
 *   answers 404 and is looked up again. Only fields that differ are sent.
 * - Errors are {"errors": [{"reason", "field"}]}: 401 is a bad or expired
 *   token or one without the domains scope, 403 a user without access to
 *   the domain; 429 comes with Retry-After (60 seconds without one).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "linode.h"

#define LN_ENDPOINT	"https://api.linode.com/v4"
#define LN_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define LN_MSG_MAX	400	/* quoted error text, bytes */
#define LN_MAX_PAGES	25	/* of 500 records: Linode's 12,000 limit */

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct ln {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "linode: name A" */
	char			*auth;		/* the Authorization line */
	long			 status;	/* of the last answer, or 0 */
};

/* The ttl_sec values Linode keeps, ascending. */
static const long ttls[] = { 30, 120, 300, 3600, 7200, 14400, 28800, 57600,
	86400, 172800, 345600, 604800, 1209600, 2419200 };

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Map an error reply; see linode.h. */
enum outcome
ln_error(long status, const char *body, char **why)
{
	json_t		*root = NULL, *errs, *e;
	const char	*reason, *field;
	char		 buf[LN_MSG_MAX] = "";
	size_t		 i;
	int		 n = 0;

	*why = NULL;
	if (body != NULL)
		root = json_loads(body, 0, NULL);
	errs = json_object_get(root, "errors");
	json_array_foreach(errs, i, e) {
		field = NULL;
		if (json_unpack(e, "{s:s, s?:s}", "reason", &reason, "field",
		    &field) == -1)
			continue;
		if (n++ > 0)
			provider_append(buf, sizeof(buf), "; ");
		if (field != NULL) {
			provider_append(buf, sizeof(buf), field);
			provider_append(buf, sizeof(buf), ": ");
		}
		provider_append(buf, sizeof(buf), reason);
	}
	json_decref(root);
	if (buf[0] == '\0') {
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not the Linode API reply "
			    "documented", status);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no Linode error in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	if (status == 401)
		*why = xasprintf("HTTP %ld: %s (the token needs the Domains "
		    "Read/Write scope and must not have expired)", status, buf);
	else if (status == 403)
		*why = xasprintf("HTTP %ld: %s (the token's user needs "
		    "read-write access to the domain)", status, buf);
	else
		*why = xasprintf("HTTP %ld: %s", status, buf);
	return is2xx(status) ? OUT_PROTOCOL : provider_status_outcome(status);
}

/* The "data" array of a page reply, or NULL; sets *pages (1 if the
 * field is missing). Borrowed from root. */
static json_t *
page_data(json_t *root, long *pages)
{
	json_t	*data, *p;

	*pages = 1;
	if (!json_is_object(root) || !json_is_array(data =
	    json_object_get(root, "data")))
		return NULL;
	if ((p = json_object_get(root, "pages")) != NULL) {
		if (!json_is_integer(p) || json_integer_value(p) < 0)
			return NULL;
		*pages = (long)json_integer_value(p);
	}
	return data;
}

/* Parse a domain page; see linode.h. */
enum outcome
ln_parse_domains(long status, const char *body, const char *name, char **id,
    char **why)
{
	json_t		*root = NULL, *data, *d, *jid;
	const char	*dn, *type;
	long		 pages;
	size_t		 i;
	enum outcome	 out = OUT_CURRENT;

	*id = *why = NULL;
	if (status != 200)
		return ln_error(status, body, why);
	if (body == NULL || (root = json_loads(body, 0, NULL)) == NULL ||
	    (data = page_data(root, &pages)) == NULL) {
		json_decref(root);
		return ln_error(status, NULL, why);
	}
	json_array_foreach(data, i, d) {
		if (json_unpack(d, "{s:o, s:s, s:s}", "id", &jid, "domain", &dn,
		    "type", &type) == -1 || !json_is_integer(jid)) {
			*why = xasprintf("HTTP 200: domain %zu has no usable id, "
			    "domain or type", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		/* The filter is equality, but check. */
		if (strcasecmp(dn, name) != 0)
			continue;
		if (strcmp(type, "master") != 0) {
			*why = xasprintf("domain %s is a %s: its records are "
			    "changed at its master", name, type);
			out = OUT_CONFIG;
			goto out;
		}
		if ((*id = provider_json_id(jid)) == NULL) {
			*why = xasprintf("HTTP 200: domain %zu has no usable "
			    "id", i);
			out = OUT_PROTOCOL;
		}
		goto out;
	}
out:
	json_decref(root);
	return out;
}

/* Free what an ln_rec holds and zero it; NULL is a no-op. */
void
ln_rec_free(struct ln_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->target);
	memset(r, 0, sizeof(*r));
}

/* Parse a record page; see linode.h. */
enum outcome
ln_parse_records(long status, const char *body, const char *name,
    const char *type, struct ln_rec *first, size_t *count, long *pages,
    char **why)
{
	json_t		*root = NULL, *data, *r, *jid, *ttl;
	const char	*rn, *rt, *tg;
	size_t		 i;
	enum outcome	 out = OUT_CURRENT;

	*why = NULL;
	*pages = 0;
	if (status != 200)
		return ln_error(status, body, why);
	if (body == NULL || (root = json_loads(body, 0, NULL)) == NULL ||
	    (data = page_data(root, pages)) == NULL) {
		json_decref(root);
		return ln_error(status, NULL, why);
	}
	json_array_foreach(data, i, r) {
		if (json_unpack(r, "{s:o, s:s, s:s, s:s, s:o}", "id", &jid,
		    "name", &rn, "type", &rt, "target", &tg, "ttl_sec",
		    &ttl) == -1 || !json_is_integer(ttl)) {
			*why = xasprintf("HTTP 200: record %zu has no usable "
			    "id, name, type, target or ttl_sec", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcmp(rt, type) != 0 || strcasecmp(rn, name) != 0)
			continue;
		if ((*count)++ > 0 || first->id != NULL)
			continue;
		if ((first->id = provider_json_id(jid)) == NULL) {
			*why = xasprintf("HTTP 200: record %zu has no usable "
			    "id", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		first->ttl = (long)json_integer_value(ttl);
		if ((first->target = strdup(tg)) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
out:
	json_decref(root);
	return out;
}

/* Parse a write reply; see linode.h. */
enum outcome
ln_parse_write(long status, const char *body, const char *target, char **id,
    char **why)
{
	json_t		*root = NULL, *jid;
	const char	*tg;
	enum outcome	 out = OUT_UPDATED;

	*id = *why = NULL;
	if (status != 200)
		return ln_error(status, body, why);
	if (body == NULL || (root = json_loads(body, 0, NULL)) == NULL ||
	    json_unpack(root, "{s:o, s:s}", "id", &jid, "target", &tg) == -1) {
		json_decref(root);
		return ln_error(status, NULL, why);
	}
	if ((*id = provider_json_id(jid)) == NULL) {
		*why = xasprintf("HTTP 200: the written record has no id");
		out = OUT_PROTOCOL;
	} else if (!provider_same_address(tg, target)) {
		*why = xasprintf("HTTP 200: the written record holds another "
		    "target");
		out = OUT_PROTOCOL;
		free(*id);
		*id = NULL;
	}
	json_decref(root);
	return out;
}

/* Round a ttl up as Linode does; see linode.h. */
long
ln_round_ttl(long ttl)
{
	size_t	 i;

	if (ttl <= 0)
		return 0;
	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++)
		if (ttl <= ttls[i])
			return ttls[i];
	return ttls[sizeof(ttls) / sizeof(ttls[0]) - 1];
}

/* Build a request body; see linode.h. */
int
ln_build_body(const char *name, const char *type, const char *target,
    long ttl, const struct ln_rec *have, char **body)
{
	json_t	*o;
	int	 n, bad = 0;

	*body = NULL;
	if (have == NULL)
		o = json_pack("{s:s, s:s, s:s}", "type", type, "name", name,
		    "target", target);
	else if ((o = json_object()) != NULL &&
	    !provider_same_address(have->target, target))
		bad |= json_object_set_new(o, "target", json_string(target));
	if (o != NULL && ttl > 0 && (have == NULL ||
	    ln_round_ttl(ttl) != have->ttl))
		bad |= json_object_set_new(o, "ttl_sec", json_integer(ttl));
	if (o == NULL || bad) {
		json_decref(o);
		return -1;
	}
	if ((n = (int)json_object_size(o)) > 0 &&
	    (*body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		n = -1;
	json_decref(o);
	return n;
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after a bare 429;
 * returns out. */
static enum outcome
fail(struct ln *l, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", l->label != NULL ? l->label : "linode",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (l->status == 429 && l->ctx->retry_after <= 0)
		l->ctx->retry_after = LN_WAIT_429;
	return out;
}

/* Fill l for rec; OUT_CURRENT, or an error outcome with *why. What it
 * allocated is freed by ln_done() in every case. */
static enum outcome
ln_init(struct ln *l, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok;
	size_t		 n;

	memset(l, 0, sizeof(*l));
	l->rec = rec;
	l->ctx = ctx;
	l->type = fam_rrtype(addr->fam);
	l->value = addr->text;
	if ((l->label = xasprintf("linode: %s %s", rec->name, l->type)) ==
	    NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = LN_ENDPOINT;
	if ((l->base = strdup(ep)) == NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	n = strlen(l->base);
	while (n > 0 && l->base[n - 1] == '/')
		l->base[--n] = '\0';
	if ((tok = rec_str(rec, "token")) == NULL || *tok == '\0' ||
	    provider_has_ctl(tok))
		return fail(l, OUT_CONFIG, xasprintf("the token is missing, "
		    "empty or has a control character"), why);
	if ((l->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what ln_init() allocated. */
static void
ln_done(struct ln *l)
{
	free(l->base);
	free(l->label);
	free(l->auth);
}

/* Send one request to base + path, with the header line extra (or NULL).
 * OUT_CURRENT with *resp holding the answer (caller http_resp_free()s
 * it), or OUT_TEMPFAIL with *why. */
static enum outcome
ln_call(struct ln *l, const char *method, const char *path, const char *extra,
    const char *body, struct http_resp *resp, char **why)
{
	struct http_req	 req;
	const char	*hdrs[4];
	char		*url;
	enum outcome	 out;
	size_t		 n = 0;

	memset(resp, 0, sizeof(*resp));
	l->status = 0;
	if ((url = xasprintf("%s%s", l->base, path)) == NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	hdrs[n++] = l->auth;
	hdrs[n++] = "Content-Type: application/json";
	if (extra != NULL)
		hdrs[n++] = extra;
	hdrs[n] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(l->rec, "insecure", 0);
	if ((out = provider_send(l->label, &req, resp, l->ctx, why)) ==
	    OUT_CURRENT)
		l->status = resp->status;
	free(url);
	return out;
}

/*
 * Look up the domain called cand (a provider_zone_fn; asked for in lower
 * case). OUT_CURRENT with *id malloc'd or NULL when there is none; else
 * an outcome, *why.
 */
static enum outcome
domain_lookup(void *arg, const char *cand, char **id, char **why)
{
	struct ln	*l = arg;
	struct http_resp resp;
	json_t		*f;
	char		*zone, *p, *filter = NULL, *hdr = NULL, *inner = NULL;
	enum outcome	 out;

	*id = NULL;
	if ((zone = strdup(cand)) == NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	for (p = zone; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if ((f = json_pack("{s:s}", "domain", zone)) == NULL ||
	    (filter = json_dumps(f, JSON_COMPACT)) == NULL ||
	    (hdr = xasprintf("X-Filter: %s", filter)) == NULL) {
		json_decref(f);
		out = fail(l, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	json_decref(f);
	if ((out = ln_call(l, "GET", "/domains", hdr, NULL, &resp, why)) !=
	    OUT_CURRENT)
		goto out;
	out = ln_parse_domains(resp.status, resp.body, zone, id, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(l, out, inner, why);
		goto out;
	}
	log_info("%s: domain %s: %s", l->label, zone, *id != NULL ? *id :
	    "not on this account");
out:
	free(zone);
	free(filter);
	free(hdr);
	return out;
}

/*
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name of two labels or more Linode knows
 * (provider_find_zone). OUT_CURRENT with *id and *zname malloc'd (caller
 * frees), else an outcome with *why.
 */
static enum outcome
find_domain(struct ln *l, char **id, char **zname, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx;

	memset(&w, 0, sizeof(w));
	w.label = l->label;
	w.what = "Linode domain";
	w.hint = "the domain must be on the token's account, or set \"zone\"";
	w.lookup = domain_lookup;
	w.arg = l;
	if ((w.cachepfx = pfx = xasprintf("linode:%s", l->base)) == NULL) {
		*id = *zname = NULL;
		return fail(l, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(l->ctx, l->rec, &w, zname, id, why);
	free(pfx);
	return out;
}

/*
 * POST (record NULL) or PUT record in domain did with body. OUT_UPDATED
 * and ctx->new_record_id set, or an error outcome with *why; *gone is set
 * on a 404 for a record id.
 */
static enum outcome
ln_write(struct ln *l, const char *did, const char *record, const char *body,
    int *gone, char **why)
{
	struct http_resp resp;
	char		*path, *id = NULL, *inner = NULL;
	enum outcome	 out;

	*gone = 0;
	path = record == NULL ? xasprintf("/domains/%s/records", did) :
	    xasprintf("/domains/%s/records/%s", did, record);
	if (path == NULL)
		return fail(l, OUT_TEMPFAIL, NULL, why);
	log_info("%s: %s %s %s", l->label, record == NULL ? "POST" : "PUT",
	    path, body);
	if ((out = ln_call(l, record == NULL ? "POST" : "PUT", path, NULL,
	    body, &resp, why)) != OUT_CURRENT)
		goto out;
	out = ln_parse_write(resp.status, resp.body, l->value, &id, &inner);
	*gone = record != NULL && resp.status == 404;
	http_resp_free(&resp);
	if (out != OUT_UPDATED) {
		out = fail(l, out, inner, why);
		goto out;
	}
	free(l->ctx->new_record_id);
	if ((l->ctx->new_record_id = xasprintf("%s/%s", did, id)) == NULL)
		out = fail(l, OUT_TEMPFAIL, NULL, why);
out:
	free(path);
	free(id);
	return out;
}

/* 1 if s is 1-20 digits, else 0. */
static int
digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0 && n <= 20;
}

/*
 * The one-call update through the stored "<domain_id>/<record_id>":
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when
 * there is no usable id or the record is gone.
 */
static int
update_known(struct ln *l, char **why)
{
	struct ln_rec	 none;
	const char	*id = l->ctx->record_id, *slash;
	char		*did = NULL, *body = NULL;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strchr(id, '/')) == NULL || !digits(id, slash - id) ||
	    !digits(slash + 1, strlen(slash + 1)) ||
	    (did = strndup(id, slash - id)) == NULL)
		return -1;
	/* Against a record with nothing known: just the target. */
	memset(&none, 0, sizeof(none));
	if (ln_build_body(NULL, NULL, l->value, 0, &none, &body) == -1) {
		ret = fail(l, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ln_write(l, did, slash + 1, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", l->label, id);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(did);
	free(body);
	return ret;
}

/*
 * Find the domain and the record, and create it, PUT what differs, or
 * find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ln *l, char **why)
{
	struct http_resp resp;
	struct ln_rec	 have;
	char		*did = NULL, *zname = NULL, *zjunk = NULL, *rr = NULL;
	char		*path = NULL, *body = NULL, *inner = NULL, *p;
	size_t		 count = 0;
	long		 page, pages = 1;
	enum outcome	 out;
	int		 n, gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_domain(l, &did, &zname, why)) != OUT_CURRENT)
		goto out;
	if (provider_split_name(l->rec->name, zname, &zjunk, &rr, &inner) ==
	    -1) {
		out = fail(l, OUT_CONFIG, inner, why);
		goto out;
	}
	if (strcmp(rr, "@") == 0)
		rr[0] = '\0';		/* Linode's apex is "" */
	for (p = rr; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	for (page = 1; page <= pages && page <= LN_MAX_PAGES; page++) {
		free(path);
		if ((path = xasprintf("/domains/%s/records?page=%ld&"
		    "page_size=500", did, page)) == NULL) {
			out = fail(l, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ln_call(l, "GET", path, NULL, NULL, &resp, why)) !=
		    OUT_CURRENT)
			goto out;
		out = ln_parse_records(resp.status, resp.body, rr, l->type,
		    &have, &count, &pages, &inner);
		http_resp_free(&resp);
		if (out != OUT_CURRENT) {
			out = fail(l, out, inner, why);
			goto out;
		}
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", l->label, count, have.id);
	if ((n = ln_build_body(rr, l->type, l->value, l->rec->ttl,
	    count > 0 ? &have : NULL, &body)) == -1) {
		out = fail(l, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
		log_info("%s: record %s already holds %s", l->label, have.id,
		    l->value);
		free(l->ctx->new_record_id);
		if ((l->ctx->new_record_id = xasprintf("%s/%s", did,
		    have.id)) == NULL)
			out = fail(l, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = ln_write(l, did, count > 0 ? have.id : NULL, body, &gone, why);
out:
	ln_rec_free(&have);
	free(did);
	free(zname);
	free(zjunk);
	free(rr);
	free(path);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ln	 l;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ln_init(&l, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* Through the stored id only when the address is news; a forced or
	 * reconfigured push looks and compares. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&l, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&l, why);
out:
	ln_done(&l);
	return out;
}

/* NULL if rec names a token, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	if (rec_str(rec, "token") == NULL)
		return xasprintf("linode needs \"token\" (a personal access "
		    "token with Domains Read/Write)");
	return NULL;
}

const struct provider provider_linode = {
	.name = "linode",
	.keys = keys,
	.push = push,
	.check = check,
};
