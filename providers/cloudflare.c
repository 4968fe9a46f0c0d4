/*
 * cloudflare: Cloudflare API v4 DNS records.
 * https://developers.cloudflare.com/api/resources/dns/subresources/records/
 * (offline: ref/cloudflare-openapi-20240801.json, ref/PROVIDERS.md)
 *
 * Quirks handled:
 * - Records live in zones addressed by id, so a name needs a zone lookup
 *   first: GET /zones?name= for the configured zone, else for each suffix
 *   of the name with two labels or more, longest first (a single label
 *   would only ever match a TLD). Answers, "no such zone" included, are
 *   cached for the run so several records in one zone cost one lookup.
 * - Every reply is an envelope {success, errors:[{code, message}],
 *   messages, result}, and a 2xx may still say success:false; errors are
 *   quoted with their codes. Bad credentials come back as 403 (9109
 *   invalid token, 9103 unknown key/email, 10000 authentication error) or
 *   as 400 (6003 bad request headers, 6111 bad Authorization format).
 * - The state keeps "<zone_id>/<record_id>", so a later change is one
 *   PATCH; a record deleted by hand answers 404 (81044) and we fall back
 *   to the lookup.
 * - PATCH, never PUT, and only the fields that differ: proxied, ttl and
 *   comment set in the dashboard survive unless configured.
 * - ttl 1 means "automatic" (what we create with when none is set); a
 *   proxied record's ttl is always automatic, so a configured ttl is not
 *   compared for it.
 * - Duplicate records of one name and type are allowed: the first is
 *   updated and the others are reported.
 * - Records are listed with type= and name.exact= (the 2024 document has
 *   only name=, exact too); the match is checked again here so that an
 *   API or proxy ignoring a filter cannot get another record rewritten.
 * - 429 carries Retry-After (the limit is 1200 requests per 5 minutes);
 *   without one we wait 60 seconds.
 * - API tokens (Bearer) are preferred; the legacy global key (X-Auth-Email
 *   + X-Auth-Key) is used only when no token is configured.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "cloudflare.h"

#define CF_ENDPOINT	"https://api.cloudflare.com/client/v4"
#define CF_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define CF_MSG_MAX	400	/* quoted error text, bytes */

static const struct provider_key keys[] = {
	{ "api_key",	KEY_SECRET },
	{ "comment",	0 },
	{ "email",	0 },
	{ "endpoint",	0 },
	{ "proxied",	KEY_BOOL },
	{ "token",	KEY_SECRET },
	{ "zone_id",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct cf {
	const struct record	*rec;
	struct push_ctx		*ctx;
	struct cf_want		 want;
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "cloudflare: name A" */
	char			*auth[2];	/* credential header lines */
	const char		*hdrs[4];
	long			 status;	/* of the last answer, or 0 */
};

/* Error codes that mean the credentials were refused. */
static const long auth_codes[] = { 6003, 6111, 9103, 9109, 10000 };

/* ---- pure parts --------------------------------------------------------- */

/* 1 if code is one of the credential-refused codes, else 0. */
static int
is_auth_code(json_int_t code)
{
	size_t	 i;

	for (i = 0; i < sizeof(auth_codes) / sizeof(auth_codes[0]); i++)
		if (code == auth_codes[i])
			return 1;
	return 0;
}

/*
 * Quote an errors array ("9109 Invalid access token; ...", with any
 * error_chain in parentheses) into buf; returns 1 if a code says the
 * credentials were refused, else 0.
 */
static int
errors_text(json_t *errs, char *buf, size_t sz, int depth)
{
	json_t		*e, *chain;
	json_int_t	 code;
	const char	*msg;
	char		 num[32];
	size_t		 i;
	int		 auth = 0, n = 0;

	json_array_foreach(errs, i, e) {
		chain = NULL;
		if (json_unpack_ex(e, NULL, 0, "{s:I, s:s, s?:o}", "code",
		    &code, "message", &msg, "error_chain", &chain) == -1)
			continue;
		auth |= is_auth_code(code);
		if (n++ > 0)
			provider_append(buf, sz, "; ");
		snprintf(num, sizeof(num), "%lld ", (long long)code);
		provider_append(buf, sz, num);
		provider_append(buf, sz, msg);
		if (json_is_array(chain) && json_array_size(chain) > 0 &&
		    depth < 2) {
			provider_append(buf, sz, " (");
			auth |= errors_text(chain, buf, sz, depth + 1);
			provider_append(buf, sz, ")");
		}
	}
	return auth;
}

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read the reply envelope; see cloudflare.h. */
enum outcome
cf_envelope(long status, const char *body, json_t **rootp, json_t **result,
    char **why)
{
	json_t		*root = NULL, *errs = NULL, *res = NULL;
	json_error_t	 jerr;
	char		 buf[CF_MSG_MAX] = "";
	int		 ok = 0, auth;

	*rootp = *result = NULL;
	*why = NULL;
	if (body != NULL)
		root = json_loads(body, JSON_REJECT_DUPLICATES, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root == NULL || json_unpack_ex(root, &jerr, 0, "{s:b, s:o, s?:o}",
	    "success", &ok, "errors", &errs, "result", &res) == -1 ||
	    !json_is_array(errs)) {
		if (root != NULL && errs != NULL && !json_is_array(errs))
			snprintf(jerr.text, sizeof(jerr.text),
			    "\"errors\" is not an array");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not a Cloudflare API "
			    "reply: %s", status, buf);
			return OUT_PROTOCOL;
		}
		/* An error page from something in front of the API. */
		*why = xasprintf("HTTP %ld (no Cloudflare error in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	if (is2xx(status) && ok) {
		*rootp = root;
		*result = res;
		return OUT_CURRENT;
	}
	auth = errors_text(errs, buf, sizeof(buf), 0);
	if (buf[0] == '\0')
		snprintf(buf, sizeof(buf), "%s", ok ? "success true on an "
		    "error status" : "success false without an error");
	*why = xasprintf("HTTP %ld: %s", status, buf);
	json_decref(root);
	if (auth)
		return OUT_AUTH;
	if (is2xx(status))
		return OUT_PROTOCOL;
	return provider_status_outcome(status);
}

/* 1 if s looks like a Cloudflare identifier (safe in a URL path and in
 * "<zone>/<record>"), else 0. */
static int
id_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_')
			return 0;
	return n > 0 && n <= 64;
}

/* Parse the zone list; see cloudflare.h. */
enum outcome
cf_parse_zones(long status, const char *body, const char *name,
    char **zone_id, char **why)
{
	json_t		*root, *res, *z;
	const char	*id, *zn, *best = NULL, *st;
	size_t		 i;
	enum outcome	 out;
	int		 active = 0;

	*zone_id = NULL;
	if ((out = cf_envelope(status, body, &root, &res, why)) != OUT_CURRENT)
		return out;
	if (!json_is_array(res)) {
		*why = xasprintf("HTTP %ld: zone list is not an array", status);
		out = OUT_PROTOCOL;
		goto out;
	}
	json_array_foreach(res, i, z) {
		st = NULL;
		if (json_unpack_ex(z, NULL, 0, "{s:s, s:s, s?:s}", "id", &id,
		    "name", &zn, "status", &st) == -1 || !id_ok(id)) {
			*why = xasprintf("HTTP %ld: zone %zu has no usable id "
			    "or name", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		/* The filter is equality, but check: a zone of another
		 * name must never take our record. Prefer an active zone
		 * over a pending copy of it in another account. */
		if (strcasecmp(zn, name) != 0)
			continue;
		if (best == NULL || (!active && st != NULL &&
		    strcmp(st, "active") == 0)) {
			best = id;
			active = st != NULL && strcmp(st, "active") == 0;
		}
	}
	if (best != NULL && (*zone_id = strdup(best)) == NULL) {
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	}
out:
	json_decref(root);
	return out;
}

/* Free what a cf_rec holds and zero it; NULL is a no-op. */
void
cf_rec_free(struct cf_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	free(r->comment);
	memset(r, 0, sizeof(*r));
	r->proxied = -1;
}

/* Copy the fields we compare from a record object into r; 0/-1 (-1: a
 * field has the wrong type, or out of memory). */
static int
rec_copy(json_t *o, struct cf_rec *r)
{
	const char	*id, *content;
	json_t		*ttl = NULL, *prox = NULL, *comment = NULL;

	if (json_unpack_ex(o, NULL, 0, "{s:s, s:s, s?:o, s?:o, s?:o}", "id",
	    &id, "content", &content, "ttl", &ttl, "proxied", &prox,
	    "comment", &comment) == -1 || !id_ok(id))
		return -1;
	if ((ttl != NULL && !json_is_number(ttl)) || (prox != NULL &&
	    !json_is_boolean(prox)) || (comment != NULL &&
	    !json_is_string(comment) && !json_is_null(comment)))
		return -1;
	r->ttl = ttl != NULL ? (long)json_number_value(ttl) : 0;
	r->proxied = prox != NULL ? json_is_true(prox) : -1;
	r->id = strdup(id);
	r->content = strdup(content);
	if (json_is_string(comment))
		r->comment = strdup(json_string_value(comment));
	if (r->id == NULL || r->content == NULL || (json_is_string(comment) &&
	    r->comment == NULL))
		return -1;
	return 0;
}

/* Parse a record list; see cloudflare.h. */
enum outcome
cf_parse_records(long status, const char *body, const char *name,
    const char *type, struct cf_rec *first, size_t *count, char **why)
{
	json_t		*root, *res, *o;
	const char	*rn, *rt;
	size_t		 i;
	enum outcome	 out;

	memset(first, 0, sizeof(*first));
	first->proxied = -1;
	*count = 0;
	if ((out = cf_envelope(status, body, &root, &res, why)) != OUT_CURRENT)
		return out;
	if (!json_is_array(res)) {
		*why = xasprintf("HTTP %ld: record list is not an array",
		    status);
		out = OUT_PROTOCOL;
		goto out;
	}
	json_array_foreach(res, i, o) {
		if (json_unpack_ex(o, NULL, 0, "{s:s, s:s}", "name", &rn,
		    "type", &rt) == -1) {
			*why = xasprintf("HTTP %ld: record %zu has no name or "
			    "type", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcmp(rt, type) != 0 || strcasecmp(rn, name) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if (rec_copy(o, first) == -1) {
			*why = xasprintf("HTTP %ld: record %zu has no usable "
			    "id, content, ttl, proxied or comment", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
	}
out:
	if (out != OUT_CURRENT) {
		cf_rec_free(first);
		*count = 0;
	}
	json_decref(root);
	return out;
}

/* Parse a POST/PATCH reply; see cloudflare.h. */
enum outcome
cf_parse_write(long status, const char *body, char **id, char **why)
{
	json_t		*root, *res;
	const char	*s;
	enum outcome	 out;

	*id = NULL;
	if ((out = cf_envelope(status, body, &root, &res, why)) != OUT_CURRENT)
		return out;
	if (json_unpack_ex(res, NULL, 0, "{s:s}", "id", &s) == -1 ||
	    !id_ok(s)) {
		*why = xasprintf("HTTP %ld: the written record has no id",
		    status);
		out = OUT_PROTOCOL;
	} else if ((*id = strdup(s)) == NULL) {
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	} else
		out = OUT_UPDATED;
	json_decref(root);
	return out;
}

/* Build a request body; see cloudflare.h. */
int
cf_build_body(const struct cf_want *w, const struct cf_rec *have,
    char **body)
{
	json_t	*o;
	int	 n, proxied, bad = 0;

	*body = NULL;
	if (have == NULL) {
		o = json_pack("{s:s, s:s, s:s, s:I, s:b}", "type", w->type,
		    "name", w->name, "content", w->content, "ttl",
		    (json_int_t)(w->ttl > 0 ? w->ttl : 1), "proxied",
		    w->proxied > 0);
		if (o != NULL && w->comment != NULL)
			bad |= json_object_set_new(o, "comment",
			    json_string(w->comment));
	} else {
		o = json_object();
		if (o != NULL && !provider_same_address(have->content, w->content))
			bad |= json_object_set_new(o, "content",
			    json_string(w->content));
		/* Cloudflare keeps a proxied record's ttl automatic (1)
		 * whatever is asked: comparing would PATCH every run. */
		proxied = w->proxied >= 0 ? w->proxied : have->proxied;
		if (o != NULL && w->ttl > 0 && w->ttl != have->ttl &&
		    proxied != 1)
			bad |= json_object_set_new(o, "ttl",
			    json_integer(w->ttl));
		if (o != NULL && w->proxied >= 0 && w->proxied != have->proxied)
			bad |= json_object_set_new(o, "proxied",
			    json_boolean(w->proxied));
		if (o != NULL && w->comment != NULL && strcmp(w->comment,
		    have->comment != NULL ? have->comment : "") != 0)
			bad |= json_object_set_new(o, "comment",
			    json_string(w->comment));
	}
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

/* Whether a reply about a record id says it is gone; see cloudflare.h. */
int
cf_gone(long status, const char *body)
{
	json_t		*root, *errs, *e;
	json_int_t	 code;
	size_t		 i;
	int		 gone = status == 404;

	if (gone || body == NULL || (root = json_loads(body, 0, NULL)) == NULL)
		return gone;
	/* 81044: record does not exist; 7003: no such object (a zone id
	 * that no longer resolves comes back as 400). */
	errs = json_object_get(root, "errors");
	json_array_foreach(errs, i, e)
		if (json_unpack(e, "{s:I}", "code", &code) == 0 &&
		    (code == 81044 || code == 7003))
			gone = 1;
	json_decref(root);
	return gone;
}

/* Split a stored id; see cloudflare.h. */
int
cf_split_id(const char *stored, char **zone_id, char **record_id)
{
	const char	*slash;
	size_t		 n;

	*zone_id = *record_id = NULL;
	if (stored == NULL || (slash = strchr(stored, '/')) == NULL)
		return -1;
	n = slash - stored;
	if ((*zone_id = malloc(n + 1)) != NULL) {
		memcpy(*zone_id, stored, n);
		(*zone_id)[n] = '\0';
	}
	if (*zone_id == NULL ||
	    (*record_id = strdup(slash + 1)) == NULL ||
	    !id_ok(*zone_id) || !id_ok(*record_id)) {
		free(*zone_id);
		free(*record_id);
		*zone_id = *record_id = NULL;
		return -1;
	}
	return 0;
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after a bare 429;
 * returns out. */
static enum outcome
fail(struct cf *c, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "cloudflare", inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = CF_WAIT_429;
	return out;
}

/*
 * Fill c for rec; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 * Whatever it allocated is freed by cf_done() in every case.
 */
static enum outcome
cf_init(struct cf *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok, *email, *key;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->want.type = fam_rrtype(addr->fam);
	c->want.name = rec->name;
	c->want.content = addr->text;
	c->want.ttl = rec->ttl;
	c->want.proxied = rec_bool(rec, "proxied", -1);
	c->want.comment = rec_str(rec, "comment");
	if ((c->label = xasprintf("cloudflare: %s %s", rec->name,
	    c->want.type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);

	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = CF_ENDPOINT;
	if ((c->base = strdup(ep)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';

	tok = rec_str(rec, "token");
	email = rec_str(rec, "email");
	key = rec_str(rec, "api_key");
	if (tok != NULL) {
		if (provider_has_ctl(tok) || *tok == '\0')
			return fail(c, OUT_CONFIG, xasprintf("the token is "
			    "empty or has a control character"), why);
		c->auth[0] = xasprintf("Authorization: Bearer %s", tok);
		if (c->auth[0] == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
	} else if (email != NULL && key != NULL) {
		if (provider_has_ctl(email) || provider_has_ctl(key) || *email == '\0' ||
		    *key == '\0')
			return fail(c, OUT_CONFIG, xasprintf("email or api_key "
			    "is empty or has a control character"), why);
		c->auth[0] = xasprintf("X-Auth-Email: %s", email);
		c->auth[1] = xasprintf("X-Auth-Key: %s", key);
		if (c->auth[0] == NULL || c->auth[1] == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
	} else
		return fail(c, OUT_CONFIG, xasprintf("no credentials: set "
		    "token (or email and api_key)"), why);
	n = 0;
	c->hdrs[n++] = c->auth[0];
	if (c->auth[1] != NULL)
		c->hdrs[n++] = c->auth[1];
	c->hdrs[n++] = "Content-Type: application/json";
	c->hdrs[n] = NULL;
	return OUT_CURRENT;
}

/* Free what cf_init() allocated. */
static void
cf_done(struct cf *c)
{
	free(c->base);
	free(c->label);
	free(c->auth[0]);
	free(c->auth[1]);
}

/*
 * Send one request. OUT_CURRENT with *resp holding the answer (caller
 * http_resp_free()s it), or OUT_TEMPFAIL with *why (nothing to free).
 */
static enum outcome
cf_call(struct cf *c, const char *method, const char *url, const char *body,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	enum outcome	 out;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = c->hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(resp, 0, sizeof(*resp));
	c->status = 0;
	if ((out = provider_send(c->label, &req, resp, c->ctx, why)) ==
	    OUT_CURRENT)
		c->status = resp->status;
	return out;
}

/*
 * Look up the zone called zone (a provider_zone_fn). OUT_CURRENT with *id
 * malloc'd (caller frees) or NULL when Cloudflare has no such zone; else
 * an error outcome with *why.
 */
static enum outcome
zone_lookup(void *arg, const char *zone, char **id, char **why)
{
	struct cf	*c = arg;
	struct http_resp resp;
	char		*q = NULL, *url = NULL, *inner = NULL;
	enum outcome	 out;

	*id = NULL;
	if ((q = http_pctenc(zone)) == NULL ||
	    (url = xasprintf("%s/zones?name=%s", c->base, q)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = cf_call(c, "GET", url, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = cf_parse_zones(resp.status, resp.body, zone, id, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(c, out, inner, why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, zone, *id != NULL ? *id :
	    "not on this account");
out:
	free(q);
	free(url);
	return out;
}

/*
 * The zone id the record lives in: zone_id as configured, else that of
 * the configured zone or of the longest suffix of the name Cloudflare
 * knows (provider_find_zone). OUT_CURRENT with *zone (the id, malloc'd,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct cf *c, char **zone, char **why)
{
	struct zone_walk w;
	const char	*zid;
	char		*pfx, *name;
	enum outcome	 out;

	*zone = NULL;
	if ((zid = rec_str(c->rec, "zone_id")) != NULL) {
		if (!id_ok(zid))
			return fail(c, OUT_CONFIG, xasprintf("zone_id \"%s\" "
			    "is not a Cloudflare identifier", zid), why);
		if ((*zone = strdup(zid)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		return OUT_CURRENT;
	}
	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Cloudflare zone";
	w.lookup = zone_lookup;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("cloudflare:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, &name, zone, why);
	free(pfx);
	free(name);
	return out;
}

/*
 * POST (record NULL) or PATCH record in zone with body. OUT_UPDATED and
 * ctx->new_record_id set, or an error outcome with *why; *gone is set when
 * the answer says the record or zone no longer exists.
 */
static enum outcome
cf_write(struct cf *c, const char *zone, const char *record, const char *body,
    int *gone, char **why)
{
	struct http_resp resp;
	char		*ez = NULL, *er = NULL, *url = NULL, *id = NULL;
	char		*inner = NULL;
	enum outcome	 out;

	*gone = 0;
	if ((ez = http_pctenc(zone)) == NULL || (record != NULL &&
	    (er = http_pctenc(record)) == NULL)) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	url = record == NULL ? xasprintf("%s/zones/%s/dns_records", c->base,
	    ez) : xasprintf("%s/zones/%s/dns_records/%s", c->base, ez, er);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, record == NULL ? "creating" :
	    "updating", body);
	if ((out = cf_call(c, record == NULL ? "POST" : "PATCH", url, body,
	    &resp, why)) != OUT_CURRENT)
		goto out;
	out = cf_parse_write(resp.status, resp.body, &id, &inner);
	if (out != OUT_UPDATED && record != NULL)
		*gone = cf_gone(resp.status, resp.body);
	http_resp_free(&resp);
	if (out != OUT_UPDATED) {
		out = fail(c, out, inner, why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, id)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	free(ez);
	free(er);
	free(url);
	free(id);
	return out;
}

/*
 * The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the record is gone, and the caller should look it up.
 */
static int
update_known(struct cf *c, char **why)
{
	struct cf_rec	 none;
	const char	*zid;
	char		*zone = NULL, *record = NULL, *body = NULL;
	enum outcome	 out;
	int		 gone = 0, ret = -1;

	if (cf_split_id(c->ctx->record_id, &zone, &record) == -1)
		return -1;
	/* A zone_id changed in the configuration wins over the state. */
	zid = rec_str(c->rec, "zone_id");
	if (zid != NULL && strcmp(zid, zone) != 0)
		goto out;
	memset(&none, 0, sizeof(none));
	none.proxied = -1;
	if (cf_build_body(&c->want, &none, &body) == -1) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = cf_write(c, zone, record, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone (%s); looking it up",
		    c->label, c->ctx->record_id, *why);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	free(record);
	free(body);
	return ret;
}

/*
 * Find the record by name and type and create it, update the fields that
 * differ, or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct cf *c, char **why)
{
	struct http_resp resp;
	struct cf_rec	 have;
	char		*zone = NULL, *ez = NULL, *en = NULL, *url = NULL;
	char		*body = NULL, *inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;
	int		 n, gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((ez = http_pctenc(zone)) == NULL ||
	    (en = http_pctenc(c->want.name)) == NULL ||
	    (url = xasprintf("%s/zones/%s/dns_records?type=%s&name.exact=%s",
	    c->base, ez, c->want.type, en)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = cf_call(c, "GET", url, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = cf_parse_records(resp.status, resp.body, c->want.name,
	    c->want.type, &have, &count, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(c, out, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if ((n = cf_build_body(&c->want, count > 0 ? &have : NULL,
	    &body)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->want.content);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s", zone,
		    have.id)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = cf_write(c, zone, count > 0 ? have.id : NULL, body, &gone, why);
out:
	cf_rec_free(&have);
	free(zone);
	free(ez);
	free(en);
	free(url);
	free(body);
	return out;
}

/*
 * 1 if the state says the record already holds addr (the push is forced,
 * stale or for a configuration change): then look and compare rather than
 * PATCH blindly by the stored id. Else 0.
 */
static int
state_holds(const struct push_ctx *ctx, const struct addr *addr)
{
	return ctx->address != NULL && strcmp(ctx->address, addr->text) == 0;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct cf	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = cf_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells us nothing when the record
	 * should hold addr already: then look and compare instead. */
	if (ctx->record_id != NULL && !state_holds(ctx, addr) &&
	    (r = update_known(&c, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&c, why);
out:
	cf_done(&c);
	return out;
}

/* NULL if rec names credentials, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	if (rec_str(rec, "token") != NULL || (rec_str(rec, "email") != NULL &&
	    rec_str(rec, "api_key") != NULL))
		return NULL;
	return xasprintf("cloudflare needs \"token\" (an API token), or "
	    "\"email\" and \"api_key\" (the legacy global key)");
}

const struct provider provider_cloudflare = {
	.name = "cloudflare",
	.keys = keys,
	.push = push,
	.check = check,
};
