/*
 * vercel: Vercel DNS records through the Vercel REST API.
 * https://vercel.com/docs/rest-api/dns
 * https://vercel.com/docs/rest-api/domains/get-information-for-a-single-domain
 *
 * Quirks handled:
 * - Records belong to a domain of the account or team: GET
 *   /v5/domains/{name} for the configured zone, else each suffix of the
 *   name of two labels or more, longest first (cached for the run). A
 *   domain whose DNS Vercel does not serve is warned about.
 * - A team's domains need ?teamId= on every request ("team_id").
 * - Three API versions: records are listed with GET
 *   /v5/domains/{d}/records (pages of up to 100 chained by the
 *   pagination's "next" timestamp, passed back as until=), created with
 *   POST /v2/domains/{d}/records (which answers only {"uid"}), and changed
 *   with PATCH /v1/domains/records/{id}, which needs no domain.
 * - Names are relative to the domain, "" for the apex.
 * - Only fields that differ are sent; the state keeps "<domain>/<id>", so
 *   a later change is one PATCH; a record deleted by hand answers 404 and
 *   is looked up again.
 * - Errors are {"error": {"code", "message"}}; a bad token is 403
 *   forbidden with "invalidToken": true. A 429 (code rate_limited)
 *   carries limit.reset (Unix seconds) in the body: the wait is taken
 *   from Retry-After, else from that, else 60 seconds.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "providers.h"
#include "vercel.h"

#define VC_ENDPOINT	"https://api.vercel.com"
#define VC_WAIT_429	60	/* seconds, when 429 says nothing */
#define VC_MSG_MAX	400	/* quoted error text, bytes */
#define VC_MAX_PAGES	50	/* of 100 records */

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "team_id",	0 },
	{ "token",	KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct vc {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*base;		/* endpoint, no trailing '/' */
	char			*team;		/* "teamId=..." or "" */
	char			*label;		/* "vercel: name A" */
	char			*auth;		/* the Authorization line */
	const char		*hdrs[3];
	long			 status;	/* of the last answer, or 0 */
	long long		 reset;		/* limit.reset of a 429 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Map an error reply; see vercel.h. */
enum outcome
vc_error(long status, const char *body, long long *reset, char **why)
{
	json_t		*root = NULL, *e, *lim;
	const char	*code = NULL, *msg = NULL;
	json_int_t	 r;
	char		 buf[VC_MSG_MAX] = "";

	*why = NULL;
	*reset = 0;
	if (body != NULL)
		root = json_loads(body, 0, NULL);
	e = json_object_get(root, "error");
	if (json_unpack(e, "{s?:s, s?:s}", "code", &code, "message",
	    &msg) == 0 && (code != NULL || msg != NULL)) {
		if (code != NULL)
			provider_append(buf, sizeof(buf), code);
		if (code != NULL && msg != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
		lim = json_object_get(e, "limit");
		if (json_unpack(lim, "{s:I}", "reset", &r) == 0 && r > 0)
			*reset = (long long)r;
	}
	json_decref(root);
	if (buf[0] == '\0') {
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not the Vercel API reply "
			    "documented", status);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no Vercel error in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	if (status == 401 || status == 403)
		*why = xasprintf("HTTP %ld: %s (is the token valid, and is "
		    "team_id set when the domain belongs to a team?)", status,
		    buf);
	else
		*why = xasprintf("HTTP %ld: %s", status, buf);
	return is2xx(status) ? OUT_PROTOCOL : provider_status_outcome(status);
}

/* Parse the domain reply; see vercel.h. */
enum outcome
vc_parse_domain(long status, const char *body, const char *name, int *found,
    int *external, char **why)
{
	json_t		*root;
	const char	*dn, *st = NULL;
	long long	 reset;
	enum outcome	 out = OUT_CURRENT;

	*found = *external = 0;
	*why = NULL;
	if (status == 404)
		return OUT_CURRENT;
	if (status != 200 || body == NULL ||
	    (root = json_loads(body, 0, NULL)) == NULL)
		return vc_error(status, status == 200 ? NULL : body, &reset,
		    why);
	if (json_unpack(root, "{s:{s:s, s?:s}}", "domain", "name", &dn,
	    "serviceType", &st) == -1) {
		*why = xasprintf("HTTP 200: the domain has no name");
		out = OUT_PROTOCOL;
	} else if (strcasecmp(dn, name) != 0) {
		*why = xasprintf("HTTP 200: asked for domain %s, got another",
		    name);
		out = OUT_PROTOCOL;
	} else {
		*found = 1;
		*external = st != NULL && strcmp(st, "zeit.world") != 0;
	}
	json_decref(root);
	return out;
}

/* Free what a vc_rec holds and zero it; NULL is a no-op. */
void
vc_rec_free(struct vc_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* 1 if s is a usable record id (safe in a URL path), else 0. */
static int
id_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '-')
			return 0;
	return n > 0 && n <= 64;
}

/* Parse a record page; see vercel.h. */
enum outcome
vc_parse_records(long status, const char *body, const char *name,
    const char *type, struct vc_rec *first, size_t *count, long long *next,
    char **why)
{
	json_t		*root, *recs, *r, *ttl, *nx = NULL;
	const char	*id, *rn, *rt, *v;
	long long	 reset;
	size_t		 i;
	enum outcome	 out = OUT_CURRENT;

	*why = NULL;
	*next = 0;
	if (status != 200 || body == NULL ||
	    (root = json_loads(body, 0, NULL)) == NULL)
		return vc_error(status, status == 200 ? NULL : body, &reset,
		    why);
	if (json_unpack(root, "{s:o, s?:{s?:o}}", "records", &recs,
	    "pagination", "next", &nx) == -1 || !json_is_array(recs) ||
	    (nx != NULL && !json_is_integer(nx) && !json_is_null(nx))) {
		*why = xasprintf("HTTP 200: no usable records or pagination");
		out = OUT_PROTOCOL;
		goto out;
	}
	if (json_is_integer(nx) && json_integer_value(nx) > 0)
		*next = (long long)json_integer_value(nx);
	json_array_foreach(recs, i, r) {
		ttl = NULL;
		if (json_unpack(r, "{s:s, s:s, s:s, s:s, s?:o}", "id", &id,
		    "name", &rn, "type", &rt, "value", &v, "ttl", &ttl) == -1 ||
		    (ttl != NULL && !json_is_integer(ttl))) {
			*why = xasprintf("HTTP 200: record %zu has no usable "
			    "id, name, type, value or ttl", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcmp(rt, type) != 0 || strcasecmp(rn, name) != 0)
			continue;
		if ((*count)++ > 0 || first->id != NULL)
			continue;
		if (!id_ok(id)) {
			*why = xasprintf("HTTP 200: record %zu has no usable "
			    "id", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		first->ttl = ttl != NULL ? (long)json_integer_value(ttl) : 0;
		if ((first->id = strdup(id)) == NULL ||
		    (first->value = strdup(v)) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
out:
	json_decref(root);
	return out;
}

/* Parse a write reply; see vercel.h. */
enum outcome
vc_parse_write(long status, const char *body, const char *value, char **id,
    char **why)
{
	json_t		*root;
	const char	*s = NULL, *v = NULL;
	long long	 reset;
	enum outcome	 out = OUT_UPDATED;

	*id = *why = NULL;
	if (status != 200 || body == NULL ||
	    (root = json_loads(body, 0, NULL)) == NULL)
		return vc_error(status, status == 200 ? NULL : body, &reset,
		    why);
	/* POST answers {"uid", "updated"}, PATCH the record. */
	if (json_unpack(root, "{s:s}", "uid", &s) == -1 &&
	    json_unpack(root, "{s:s, s:s}", "id", &s, "value", &v) == -1)
		s = NULL;
	if (s == NULL || !id_ok(s)) {
		*why = xasprintf("HTTP 200: the written record has no id");
		out = OUT_PROTOCOL;
	} else if (v != NULL && value != NULL && !provider_same_address(v, value)) {
		*why = xasprintf("HTTP 200: the written record holds another "
		    "value");
		out = OUT_PROTOCOL;
	} else if ((*id = strdup(s)) == NULL) {
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	}
	json_decref(root);
	return out;
}

/* Build a request body; see vercel.h. */
int
vc_build_body(const char *name, const char *type, const char *value,
    long ttl, const struct vc_rec *have, char **body)
{
	json_t	*o;
	int	 n, bad = 0;

	*body = NULL;
	if (have == NULL)
		o = json_pack("{s:s, s:s, s:s}", "name", name, "type", type,
		    "value", value);
	else if ((o = json_object()) != NULL &&
	    !provider_same_address(have->value, value))
		bad |= json_object_set_new(o, "value", json_string(value));
	if (o != NULL && ttl > 0 && (have == NULL || have->ttl != ttl))
		bad |= json_object_set_new(o, "ttl", json_integer(ttl));
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
 * prefixed with the record; after a 429 without Retry-After, wait until
 * the error's limit.reset, else 60 seconds. Returns out. */
static enum outcome
fail(struct vc *v, enum outcome out, char *inner, char **why)
{
	long long	 left;

	*why = xasprintf("%s: %s", v->label != NULL ? v->label : "vercel",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (v->status == 429 && v->ctx->retry_after <= 0) {
		left = v->reset - (long long)time(NULL);
		v->ctx->retry_after = left > 0 && left <= 86400 ? (long)left :
		    VC_WAIT_429;
	}
	return out;
}

/* Fill v for rec; OUT_CURRENT, or an error outcome with *why. What it
 * allocated is freed by vc_done() in every case. */
static enum outcome
vc_init(struct vc *v, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok, *team;
	char		*et;
	size_t		 n;

	memset(v, 0, sizeof(*v));
	v->rec = rec;
	v->ctx = ctx;
	v->type = fam_rrtype(addr->fam);
	v->value = addr->text;
	if ((v->label = xasprintf("vercel: %s %s", rec->name, v->type)) ==
	    NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = VC_ENDPOINT;
	if ((v->base = strdup(ep)) == NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	n = strlen(v->base);
	while (n > 0 && v->base[n - 1] == '/')
		v->base[--n] = '\0';
	if ((team = rec_str(rec, "team_id")) != NULL && *team != '\0') {
		if ((et = http_pctenc(team)) == NULL)
			return fail(v, OUT_TEMPFAIL, NULL, why);
		v->team = xasprintf("teamId=%s", et);
		free(et);
	} else
		v->team = strdup("");
	if (v->team == NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	if ((tok = rec_str(rec, "token")) == NULL || *tok == '\0' ||
	    provider_has_ctl(tok))
		return fail(v, OUT_CONFIG, xasprintf("the token is missing, "
		    "empty or has a control character"), why);
	if ((v->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	v->hdrs[0] = v->auth;
	v->hdrs[1] = "Content-Type: application/json";
	v->hdrs[2] = NULL;
	return OUT_CURRENT;
}

/* Free what vc_init() allocated. */
static void
vc_done(struct vc *v)
{
	free(v->base);
	free(v->team);
	free(v->label);
	free(v->auth);
}

/* Send one request to base + path (+ the team, query may be NULL).
 * OUT_CURRENT with *resp holding the answer (caller http_resp_free()s
 * it), or OUT_TEMPFAIL with *why. */
static enum outcome
vc_call(struct vc *v, const char *method, const char *path,
    const char *query, const char *body, struct http_resp *resp, char **why)
{
	struct http_req	 req;
	char		*url, *junk = NULL;
	long long	 reset;
	enum outcome	 out;
	int		 q = query != NULL && *query != '\0';

	memset(resp, 0, sizeof(*resp));
	v->status = 0;
	v->reset = 0;
	url = xasprintf("%s%s%s%s%s%s", v->base, path, q || *v->team != '\0' ?
	    "?" : "", q ? query : "", q && *v->team != '\0' ? "&" : "",
	    v->team);
	if (url == NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = v->hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(v->rec, "insecure", 0);
	if ((out = provider_send(v->label, &req, resp, v->ctx, why)) ==
	    OUT_CURRENT) {
		v->status = resp->status;
		/* Keep the 429's limit.reset for fail(). */
		if (resp->status == 429) {
			vc_error(resp->status, resp->body, &reset, &junk);
			free(junk);
			v->reset = reset;
		}
	}
	free(url);
	return out;
}

/*
 * Whether the domain called cand is on the account (a provider_zone_fn;
 * asked for in lower case): OUT_CURRENT with *val the name (malloc'd) or
 * NULL when it is not, or an error outcome with *why.
 */
static enum outcome
domain_lookup(void *arg, const char *cand, char **val, char **why)
{
	struct vc	*v = arg;
	struct http_resp resp;
	char		*zone, *p, *ez = NULL, *path = NULL, *inner = NULL;
	enum outcome	 out;
	int		 found, ext;

	*val = NULL;
	if ((zone = strdup(cand)) == NULL)
		return fail(v, OUT_TEMPFAIL, NULL, why);
	for (p = zone; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if ((ez = http_pctenc(zone)) == NULL ||
	    (path = xasprintf("/v5/domains/%s", ez)) == NULL) {
		out = fail(v, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = vc_call(v, "GET", path, NULL, NULL, &resp, why)) !=
	    OUT_CURRENT)
		goto out;
	out = vc_parse_domain(resp.status, resp.body, zone, &found, &ext,
	    &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(v, out, inner, why);
		goto out;
	}
	if (found && ext)
		log_warnx("%s: Vercel does not serve the DNS of %s (its name "
		    "servers are elsewhere): the record is kept at Vercel but "
		    "not seen", v->label, zone);
	log_info("%s: domain %s: %s", v->label, zone, found ? "found" :
	    "not on this account");
	if (found) {
		*val = zone;
		zone = NULL;
	}
out:
	free(zone);
	free(ez);
	free(path);
	return out;
}

/*
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name of two labels or more on the account
 * (provider_find_zone). OUT_CURRENT with *zone malloc'd (lower case,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_domain(struct vc *v, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val, *p;

	memset(&w, 0, sizeof(w));
	w.label = v->label;
	w.what = "Vercel domain";
	w.hint = *v->team != '\0' ? "the domain must be on the token's team" :
	    "the domain must be on the token's account, or set \"team_id\"";
	w.lookup = domain_lookup;
	w.arg = v;
	if ((w.cachepfx = pfx = xasprintf("vercel:%s:%s", v->base, v->team)) ==
	    NULL) {
		*zone = NULL;
		return fail(v, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(v->ctx, v->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	if (*zone != NULL)
		for (p = *zone; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
	return out;
}

/*
 * POST to domain zone (record NULL) or PATCH record with body.
 * OUT_UPDATED and ctx->new_record_id set, or an error outcome with *why;
 * *gone is set on a 404 for a record id.
 */
static enum outcome
vc_write(struct vc *v, const char *zone, const char *record, const char *body,
    int *gone, char **why)
{
	struct http_resp resp;
	char		*ez = NULL, *path = NULL, *id = NULL, *inner = NULL;
	enum outcome	 out;

	*gone = 0;
	if ((ez = http_pctenc(zone)) == NULL || (path = record == NULL ?
	    xasprintf("/v2/domains/%s/records", ez) :
	    xasprintf("/v1/domains/records/%s", record)) == NULL) {
		out = fail(v, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s %s", v->label, record == NULL ? "POST" : "PATCH",
	    path, body);
	if ((out = vc_call(v, record == NULL ? "POST" : "PATCH", path, NULL,
	    body, &resp, why)) != OUT_CURRENT)
		goto out;
	out = vc_parse_write(resp.status, resp.body, v->value, &id, &inner);
	*gone = record != NULL && resp.status == 404;
	http_resp_free(&resp);
	if (out != OUT_UPDATED) {
		out = fail(v, out, inner, why);
		goto out;
	}
	free(v->ctx->new_record_id);
	if ((v->ctx->new_record_id = xasprintf("%s/%s", zone, id)) == NULL)
		out = fail(v, OUT_TEMPFAIL, NULL, why);
out:
	free(ez);
	free(path);
	free(id);
	return out;
}

/*
 * The one-call update through the stored "<domain>/<record id>":
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when
 * there is no usable id or the record is gone.
 */
static int
update_known(struct vc *v, char **why)
{
	struct vc_rec	 none;
	const char	*id = v->ctx->record_id, *slash;
	char		*zone = NULL, *body = NULL;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strrchr(id, '/')) == NULL || slash == id ||
	    !id_ok(slash + 1) || (zone = strndup(id, slash - id)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state. */
	if (v->rec->zone != NULL && strcasecmp(v->rec->zone, zone) != 0)
		goto out;
	memset(&none, 0, sizeof(none));
	if (vc_build_body(NULL, NULL, v->value, 0, &none, &body) == -1) {
		ret = fail(v, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = vc_write(v, zone, slash + 1, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", v->label, id);
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
 * Find the domain and the record, and create it, PATCH what differs, or
 * find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct vc *v, char **why)
{
	struct http_resp resp;
	struct vc_rec	 have;
	char		*zone = NULL, *zjunk = NULL, *rr = NULL, *ez = NULL;
	char		*path = NULL, *query = NULL, *body = NULL, *inner = NULL;
	char		*p;
	size_t		 count = 0;
	long long	 next = 0;
	enum outcome	 out;
	int		 n, page, gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_domain(v, &zone, why)) != OUT_CURRENT)
		goto out;
	if (provider_split_name(v->rec->name, zone, &zjunk, &rr, &inner) ==
	    -1) {
		out = fail(v, OUT_CONFIG, inner, why);
		goto out;
	}
	if (strcmp(rr, "@") == 0)
		rr[0] = '\0';		/* Vercel's apex is "" */
	for (p = rr; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if ((ez = http_pctenc(zone)) == NULL ||
	    (path = xasprintf("/v5/domains/%s/records", ez)) == NULL) {
		out = fail(v, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	for (page = 0; page < VC_MAX_PAGES; page++) {
		free(query);
		if ((query = page == 0 ? strdup("limit=100") :
		    xasprintf("limit=100&until=%lld", next)) == NULL) {
			out = fail(v, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = vc_call(v, "GET", path, query, NULL, &resp, why)) !=
		    OUT_CURRENT)
			goto out;
		out = vc_parse_records(resp.status, resp.body, rr, v->type,
		    &have, &count, &next, &inner);
		http_resp_free(&resp);
		if (out != OUT_CURRENT) {
			out = fail(v, out, inner, why);
			goto out;
		}
		if (next == 0)
			break;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", v->label, count, have.id);
	if ((n = vc_build_body(rr, v->type, v->value, v->rec->ttl,
	    count > 0 ? &have : NULL, &body)) == -1) {
		out = fail(v, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
		log_info("%s: record %s already holds %s", v->label, have.id,
		    v->value);
		free(v->ctx->new_record_id);
		if ((v->ctx->new_record_id = xasprintf("%s/%s", zone,
		    have.id)) == NULL)
			out = fail(v, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = vc_write(v, zone, count > 0 ? have.id : NULL, body, &gone, why);
out:
	vc_rec_free(&have);
	free(zone);
	free(zjunk);
	free(rr);
	free(ez);
	free(path);
	free(query);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct vc	 v;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = vc_init(&v, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* Through the stored id only when the address is news; a forced or
	 * reconfigured push looks and compares. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&v, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&v, why);
out:
	vc_done(&v);
	return out;
}

/* NULL if rec names a token, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	if (rec_str(rec, "token") == NULL)
		return xasprintf("vercel needs \"token\" (a Vercel access "
		    "token)");
	return NULL;
}

const struct provider provider_vercel = {
	.name = "vercel",
	.keys = keys,
	.push = push,
	.check = check,
};
