/*
 * hetzner: Hetzner Cloud DNS, zones and RRSets of the Cloud API.
 * https://docs.hetzner.cloud/reference/cloud#zones
 * https://docs.hetzner.cloud/reference/cloud#zone-rrsets
 * (The older dns.hetzner.com API shut down in May 2026; it is not spoken.)
 *
 * Quirks handled:
 * - Records come in RRSets addressed by zone, relative name and type:
 *   /zones/{id_or_name}/rrsets/{name}/{type}, the name lower case,
 *   relative to the zone, "@" for the apex. The zone is found with GET
 *   /zones/{name}: the configured zone, else each suffix of the name of
 *   two labels or more, longest first; answers, "not found" included, are
 *   cached for the run.
 * - A write (create, set_records, change_ttl) answers with an Action that
 *   completes asynchronously: it is polled at GET /actions/{id} until it
 *   succeeds or fails, for up to "wait" seconds (default 20). One still
 *   running then is reported as accepted: the API has taken the change.
 * - The state keeps "<zone_id>/<rr_name>", so a later change is one
 *   set_records call (and its Action); an RRSet or zone removed by hand
 *   answers not_found and we look it up again.
 * - Only what differs is written: the records when the set is not exactly
 *   the one address, the TTL only when one is configured and differs.
 *   set_records replaces the whole set (other values and the records'
 *   comments go), which is what a dynamic name wants.
 * - Errors are {"error":{"code","message","details"}}: unauthorized (401),
 *   forbidden and token_readonly (403) are credential problems; protected
 *   (change protection on) and incorrect_zone_mode (a secondary zone) are
 *   configuration; locked, conflict and maintenance are temporary.
 * - Rate limit: 3600 requests per hour and project, refilled one a second,
 *   announced in RateLimit-* headers; a 429 without Retry-After waits 60
 *   seconds.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "providers.h"
#include "hetzner.h"
#include "../probe/probe.h"

#define HZ_ENDPOINT	"https://api.hetzner.cloud/v1"
#define HZ_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define HZ_WAIT		20	/* seconds an Action is awaited by default */
#define HZ_WAIT_MAX	600
#define HZ_POLL_MS	250	/* first poll interval, doubling ... */
#define HZ_POLL_MAX_MS	2000	/* ... up to this */
#define HZ_MSG_MAX	400	/* quoted error text, bytes */

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_SECRET },
	{ "wait",	KEY_INT },
	{ NULL,		0 }
};

/* One push in progress. */
struct hz {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "hetzner: name A" */
	char			*auth;		/* the Authorization line */
	const char		*hdrs[3];
	long			 wait_ms;	/* for an Action */
	long			 status;	/* of the last answer, or 0 */
};

/* Error codes, what they mean here, and a hint for the user. */
static const struct {
	const char	*code;
	enum outcome	 out;
	const char	*hint;
} codes[] = {
	{ "conflict",		OUT_TEMPFAIL,	NULL },
	{ "forbidden",		OUT_AUTH,	"the token needs Read & Write "
	    "permission in the project that holds the zone" },
	{ "incorrect_zone_mode", OUT_CONFIG,	"a secondary zone is changed "
	    "at its primary" },
	{ "invalid_input",	OUT_CONFIG,	NULL },
	{ "json_error",		OUT_CONFIG,	NULL },
	{ "locked",		OUT_TEMPFAIL,	NULL },
	{ "maintenance",	OUT_TEMPFAIL,	NULL },
	{ "not_found",		OUT_CONFIG,	NULL },
	{ "protected",		OUT_CONFIG,	"turn the RRSet's change "
	    "protection off" },
	{ "rate_limit_exceeded", OUT_TEMPFAIL,	NULL },
	{ "resource_limit_exceeded", OUT_CONFIG, NULL },
	{ "resource_unavailable", OUT_TEMPFAIL,	NULL },
	{ "server_error",	OUT_TEMPFAIL,	NULL },
	{ "service_error",	OUT_TEMPFAIL,	NULL },
	{ "token_readonly",	OUT_AUTH,	"the token is read-only: create "
	    "one with Read & Write" },
	{ "unauthorized",	OUT_AUTH,	"is the token a Hetzner Cloud API "
	    "token of the project that holds the zone?" },
	{ "unavailable",	OUT_TEMPFAIL,	NULL },
	{ "uniqueness_error",	OUT_CONFIG,	NULL },
	{ "unsupported_error",	OUT_CONFIG,	NULL },
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply body into a JSON object; NULL (with err filled) if it is
 * not one. Caller json_decref()s. */
static json_t *
load(const char *body, char *err, size_t sz)
{
	json_t		*root;
	json_error_t	 jerr;

	err[0] = '\0';
	if (body == NULL || *body == '\0') {
		snprintf(err, sz, "empty reply");
		return NULL;
	}
	if ((root = json_loads(body, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		provider_append(err, sz, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(err, sz, "not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Map an error reply; see hetzner.h. */
enum outcome
hz_error(long status, const char *body, char **why)
{
	json_t		*root;
	const char	*code, *msg, *hint = NULL;
	char		 buf[HZ_MSG_MAX] = "", err[160];
	enum outcome	 out;
	size_t		 i;

	*why = NULL;
	if ((root = load(body, err, sizeof(err))) == NULL ||
	    json_unpack(root, "{s:{s:s, s:s}}", "error", "code", &code,
	    "message", &msg) == -1) {
		json_decref(root);
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not the Hetzner API reply "
			    "documented%s%s", status, err[0] != '\0' ? ": " :
			    "", err);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no Hetzner error in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	provider_append(buf, sizeof(buf), code);
	provider_append(buf, sizeof(buf), ": ");
	provider_append(buf, sizeof(buf), msg);
	out = is2xx(status) ? OUT_PROTOCOL : provider_status_outcome(status);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i].code) == 0) {
			out = codes[i].out;
			hint = codes[i].hint;
			break;
		}
	*why = hint != NULL ? xasprintf("HTTP %ld: %s (%s)", status, buf,
	    hint) : xasprintf("HTTP %ld: %s", status, buf);
	json_decref(root);
	return out;
}

/* 1 if this is the not_found error; see hetzner.h. */
int
hz_not_found(long status, const char *body)
{
	json_t		*root;
	const char	*code;
	char		 err[80];
	int		 nf = 0;

	if (status != 404 || (root = load(body, err, sizeof(err))) == NULL)
		return 0;
	if (json_unpack(root, "{s:{s:s}}", "error", "code", &code) == 0)
		nf = strcmp(code, "not_found") == 0;
	json_decref(root);
	return nf;
}

/* Parse the zone reply; see hetzner.h. */
enum outcome
hz_parse_zone(long status, const char *body, const char *name, char **id,
    char **why)
{
	json_t		*root, *zid;
	const char	*zn, *mode = NULL;
	char		 err[160];
	enum outcome	 out = OUT_CURRENT;

	*id = *why = NULL;
	if (hz_not_found(status, body))
		return OUT_CURRENT;
	if (status != 200)
		return hz_error(status, body, why);
	if ((root = load(body, err, sizeof(err))) == NULL)
		return hz_error(status, body, why);
	if (json_unpack(root, "{s:{s:o, s:s, s?:s}}", "zone", "id", &zid,
	    "name", &zn, "mode", &mode) == -1 ||
	    (*id = provider_json_id(zid)) == NULL) {
		*why = xasprintf("HTTP 200: the zone has no usable id or name");
		out = OUT_PROTOCOL;
	} else if (strcasecmp(zn, name) != 0) {
		/* Never let another zone take our record. */
		*why = xasprintf("HTTP 200: asked for zone %s, got another",
		    name);
		out = OUT_PROTOCOL;
	} else if (mode != NULL && strcmp(mode, "primary") != 0) {
		*why = xasprintf("zone %s is in %s mode: its records are "
		    "changed at its primary name server", name, mode);
		out = OUT_CONFIG;
	}
	if (out != OUT_CURRENT) {
		free(*id);
		*id = NULL;
	}
	json_decref(root);
	return out;
}

/* Free what an hz_rrset holds and zero it; NULL is a no-op. */
void
hz_rrset_free(struct hz_rrset *rs)
{
	if (rs == NULL)
		return;
	free(rs->value);
	memset(rs, 0, sizeof(*rs));
	rs->ttl = -1;
}

/* Parse the RRSet reply; see hetzner.h. */
enum outcome
hz_parse_rrset(long status, const char *body, const char *name,
    const char *type, struct hz_rrset *rs, int *found, char **why)
{
	json_t		*root, *ttl, *recs, *prot = NULL, *r;
	const char	*rn, *rt, *v;
	char		 err[160];
	size_t		 i;
	enum outcome	 out = OUT_CURRENT;

	memset(rs, 0, sizeof(*rs));
	rs->ttl = -1;
	*found = 0;
	*why = NULL;
	if (hz_not_found(status, body))
		return OUT_CURRENT;
	if (status != 200 || (root = load(body, err, sizeof(err))) == NULL)
		return hz_error(status, body, why);
	if (json_unpack(root, "{s:{s:s, s:s, s:o, s:o, s?:o}}", "rrset",
	    "name", &rn, "type", &rt, "ttl", &ttl, "records", &recs,
	    "protection", &prot) == -1 || !json_is_array(recs) ||
	    (!json_is_integer(ttl) && !json_is_null(ttl))) {
		*why = xasprintf("HTTP 200: the RRSet has no usable name, type, "
		    "ttl or records");
		out = OUT_PROTOCOL;
		goto out;
	}
	if (strcasecmp(rn, name) != 0 || strcmp(rt, type) != 0) {
		*why = xasprintf("HTTP 200: asked for RRSet %s %s, got %s %s",
		    name, type, rn, rt);
		out = OUT_PROTOCOL;
		goto out;
	}
	json_array_foreach(recs, i, r) {
		if (json_unpack(r, "{s:s}", "value", &v) == -1) {
			*why = xasprintf("HTTP 200: record %zu of the RRSet has "
			    "no value", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (i == 0 && (rs->value = strdup(v)) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
	rs->nrec = json_array_size(recs);
	rs->ttl = json_is_integer(ttl) ? (long)json_integer_value(ttl) : -1;
	rs->protect = json_is_true(json_object_get(prot, "change"));
	*found = 1;
out:
	if (out != OUT_CURRENT)
		hz_rrset_free(rs);
	json_decref(root);
	return out;
}

/* Parse an Action reply; see hetzner.h. */
enum outcome
hz_parse_action(long status, const char *body, long long *id,
    enum hz_state *state, char **why)
{
	json_t		*root, *aid, *aerr = NULL;
	const char	*st, *cmd = "action", *code, *msg;
	char		 buf[HZ_MSG_MAX] = "", err[160];
	enum outcome	 out = OUT_CURRENT;

	*id = 0;
	*state = HZ_RUNNING;
	*why = NULL;
	if (!is2xx(status) || (root = load(body, err, sizeof(err))) == NULL)
		return hz_error(status, body, why);
	if (json_unpack(root, "{s:{s:o, s:s, s?:s, s?:o}}", "action", "id",
	    &aid, "status", &st, "command", &cmd, "error", &aerr) == -1 ||
	    !json_is_integer(aid) || json_integer_value(aid) <= 0) {
		*why = xasprintf("HTTP %ld: no usable action in the reply",
		    status);
		out = OUT_PROTOCOL;
		goto out;
	}
	*id = (long long)json_integer_value(aid);
	if (strcmp(st, "running") == 0)
		*state = HZ_RUNNING;
	else if (strcmp(st, "success") == 0)
		*state = HZ_SUCCESS;
	else if (strcmp(st, "error") == 0) {
		if (json_unpack(aerr, "{s:s, s:s}", "code", &code, "message",
		    &msg) == 0) {
			provider_append(buf, sizeof(buf), code);
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), msg);
		} else
			provider_append(buf, sizeof(buf), "no reason given");
		*why = xasprintf("action %lld (%.40s) failed: %s", *id, cmd,
		    buf);
		out = OUT_TEMPFAIL;
	} else {
		buf[0] = '\0';
		provider_append(buf, 40, st);
		*why = xasprintf("HTTP %ld: action %lld has status \"%s\"",
		    status, *id, buf);
		out = OUT_PROTOCOL;
	}
out:
	json_decref(root);
	return out;
}

/* The records array [{"value": v(, "comment": c)}]; NULL on ENOMEM. */
static json_t *
records(const char *value, const char *comment)
{
	json_t	*r;

	r = json_pack("{s:s}", "value", value);
	if (r != NULL && comment != NULL && json_object_set_new(r, "comment",
	    json_string(comment)) == -1) {
		json_decref(r);
		return NULL;
	}
	return r != NULL ? json_pack("[o]", r) : NULL;
}

/* Dump o compactly with sorted keys and drop it; NULL on ENOMEM. */
static char *
dump(json_t *o)
{
	char	*s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* The create body; see hetzner.h. */
char *
hz_create_body(const char *name, const char *type, const char *value,
    long ttl, const char *comment)
{
	json_t	*o, *r;

	if ((r = records(value, comment)) == NULL)
		return NULL;
	o = json_pack("{s:s, s:s, s:o}", "name", name, "type", type,
	    "records", r);
	if (o != NULL && ttl > 0 && json_object_set_new(o, "ttl",
	    json_integer(ttl)) == -1) {
		json_decref(o);
		return NULL;
	}
	return dump(o);
}

/* The set_records body; see hetzner.h. */
char *
hz_records_body(const char *value, const char *comment)
{
	json_t	*r;

	if ((r = records(value, comment)) == NULL)
		return NULL;
	return dump(json_pack("{s:o}", "records", r));
}

/* The change_ttl body; see hetzner.h. */
char *
hz_ttl_body(long ttl)
{
	return dump(json_pack("{s:I}", "ttl", (json_int_t)ttl));
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after a bare 429;
 * returns out. */
static enum outcome
fail(struct hz *h, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", h->label != NULL ? h->label : "hetzner",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (h->status == 429 && h->ctx->retry_after <= 0)
		h->ctx->retry_after = HZ_WAIT_429;
	return out;
}

/* Sleep ms milliseconds. */
static void
sleep_ms(long ms)
{
#ifdef _WIN32
	Sleep((DWORD)ms);
#else
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
#endif
}

/* Fill h for rec; OUT_CURRENT, or an error outcome with *why. What it
 * allocated is freed by hz_done() in every case. */
static enum outcome
hz_init(struct hz *h, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok;
	long		 wait;
	size_t		 n;

	memset(h, 0, sizeof(*h));
	h->rec = rec;
	h->ctx = ctx;
	h->type = fam_rrtype(addr->fam);
	h->value = addr->text;
	if ((h->label = xasprintf("hetzner: %s %s", rec->name, h->type)) ==
	    NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = HZ_ENDPOINT;
	if ((h->base = strdup(ep)) == NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	n = strlen(h->base);
	while (n > 0 && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	wait = rec_int(rec, "wait", HZ_WAIT);
	if (wait < 0 || wait > HZ_WAIT_MAX)
		return fail(h, OUT_CONFIG, xasprintf("wait must be 0 to %d "
		    "seconds", HZ_WAIT_MAX), why);
	h->wait_ms = wait * 1000;
	if ((tok = rec_str(rec, "token")) == NULL || *tok == '\0' ||
	    provider_has_ctl(tok))
		return fail(h, OUT_CONFIG, xasprintf("the token is missing, "
		    "empty or has a control character"), why);
	if ((h->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	h->hdrs[0] = h->auth;
	h->hdrs[1] = "Content-Type: application/json";
	h->hdrs[2] = NULL;
	return OUT_CURRENT;
}

/* Free what hz_init() allocated. */
static void
hz_done(struct hz *h)
{
	free(h->base);
	free(h->label);
	free(h->auth);
}

/* Send one request to base + path. OUT_CURRENT with *resp holding the
 * answer (caller http_resp_free()s it), or OUT_TEMPFAIL with *why. */
static enum outcome
hz_call(struct hz *h, const char *method, const char *path, const char *body,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	char		*url;
	enum outcome	 out;

	memset(resp, 0, sizeof(*resp));
	h->status = 0;
	if ((url = xasprintf("%s%s", h->base, path)) == NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = h->hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(h->rec, "insecure", 0);
	if ((out = provider_send(h->label, &req, resp, h->ctx, why)) ==
	    OUT_CURRENT)
		h->status = resp->status;
	free(url);
	return out;
}

/*
 * Wait for the Action in the write reply resp (freed here) to finish.
 * OUT_UPDATED when it succeeded or is still running at the deadline (the
 * API has accepted it); else an error outcome with *why. *nf is set when
 * the write itself answered not_found.
 */
static enum outcome
await(struct hz *h, struct http_resp *resp, int *nf, char **why)
{
	struct http_resp r2;
	enum hz_state	 st;
	long long	 id, id2;
	long		 t0, delay = HZ_POLL_MS, left;
	char		*inner = NULL, path[64];
	enum outcome	 out;

	*nf = hz_not_found(resp->status, resp->body);
	out = hz_parse_action(resp->status, resp->body, &id, &st, &inner);
	http_resp_free(resp);
	if (out != OUT_CURRENT)
		return fail(h, out, inner, why);
	t0 = probe_now_ms();
	snprintf(path, sizeof(path), "/actions/%lld", id);
	while (st == HZ_RUNNING) {
		if (h->wait_ms == 0) {
			log_info("%s: action %lld accepted, not awaited "
			    "(wait 0)", h->label, id);
			return OUT_UPDATED;
		}
		if ((left = h->wait_ms - (probe_now_ms() - t0)) <= 0) {
			log_warnx("%s: action %lld still running after %lds; "
			    "Hetzner has accepted the change", h->label, id,
			    h->wait_ms / 1000);
			return OUT_UPDATED;
		}
		sleep_ms(delay < left ? delay : left);
		if (delay * 2 <= HZ_POLL_MAX_MS)
			delay *= 2;
		if ((out = hz_call(h, "GET", path, NULL, &r2, why)) !=
		    OUT_CURRENT)
			return out;
		out = hz_parse_action(r2.status, r2.body, &id2, &st, &inner);
		http_resp_free(&r2);
		if (out == OUT_CURRENT && id2 != id) {
			inner = xasprintf("asked for action %lld, got %lld",
			    id, id2);
			out = OUT_PROTOCOL;
		}
		if (out != OUT_CURRENT)
			return fail(h, out, inner, why);
	}
	log_info("%s: action %lld succeeded", h->label, id);
	return OUT_UPDATED;
}

/* POST body to path (relative to the base) and await its Action; see
 * await() for the outcome and *nf. */
static enum outcome
hz_write(struct hz *h, const char *path, const char *body, int *nf,
    char **why)
{
	struct http_resp resp;
	enum outcome	 out;

	*nf = 0;
	log_info("%s: POST %s %s", h->label, path, body);
	if ((out = hz_call(h, "POST", path, body, &resp, why)) != OUT_CURRENT)
		return out;
	return await(h, &resp, nf, why);
}

/* The RRSet's path "/zones/{zone}/rrsets/{rr}/{type}" (malloc'd, caller
 * frees; NULL on ENOMEM). */
static char *
rrset_path(struct hz *h, const char *zone, const char *rr)
{
	char	*ez, *er, *p = NULL;

	ez = http_pctenc(zone);
	er = http_pctenc(rr);
	if (ez != NULL && er != NULL)
		p = xasprintf("/zones/%s/rrsets/%s/%s", ez, er, h->type);
	free(ez);
	free(er);
	return p;
}

/* Lower-case s in place; returns s. */
static char *
lower(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return s;
}

/*
 * Look up the zone called cand (a provider_zone_fn; asked for in lower
 * case). OUT_CURRENT with *id malloc'd or NULL when there is none; else
 * an error outcome, *why.
 */
static enum outcome
zone_lookup(void *arg, const char *cand, char **id, char **why)
{
	struct hz	*h = arg;
	struct http_resp resp;
	char		*zone, *ez = NULL, *path = NULL, *inner = NULL;
	enum outcome	 out;

	*id = NULL;
	if ((zone = strdup(cand)) == NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	lower(zone);
	if ((ez = http_pctenc(zone)) == NULL ||
	    (path = xasprintf("/zones/%s", ez)) == NULL) {
		out = fail(h, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = hz_call(h, "GET", path, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = hz_parse_zone(resp.status, resp.body, zone, id, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(h, out, inner, why);
		goto out;
	}
	log_info("%s: zone %s: %s", h->label, zone, *id != NULL ? *id :
	    "not in this project");
out:
	free(zone);
	free(ez);
	free(path);
	return out;
}

/*
 * The zone the record lives in: the configured zone, else the longest
 * suffix of the name of two labels or more that Hetzner knows
 * (provider_find_zone). OUT_CURRENT with *id and *zname malloc'd (caller
 * frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct hz *h, char **id, char **zname, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx;

	memset(&w, 0, sizeof(w));
	w.label = h->label;
	w.what = "Hetzner zone";
	w.hint = "the zone must be in the token's project, or set \"zone\"";
	w.lookup = zone_lookup;
	w.arg = h;
	if ((w.cachepfx = pfx = xasprintf("hetzner:%s", h->base)) == NULL) {
		*id = *zname = NULL;
		return fail(h, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(h->ctx, h->rec, &w, zname, id, why);
	free(pfx);
	return out;
}

/* Remember "<zone_id>/<rr>" for the state; OUT_CURRENT or OUT_TEMPFAIL. */
static enum outcome
remember(struct hz *h, const char *zid, const char *rr, char **why)
{
	free(h->ctx->new_record_id);
	if ((h->ctx->new_record_id = xasprintf("%s/%s", zid, rr)) == NULL)
		return fail(h, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/*
 * The one-call update through the stored "<zone_id>/<rr>": OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the zone or RRSet is gone, and the caller should look it up.
 */
static int
update_known(struct hz *h, char **why)
{
	const char	*id = h->ctx->record_id, *slash;
	char		*zid = NULL, *path = NULL, *body = NULL, *tail;
	enum outcome	 out;
	int		 nf, ret = -1;

	if ((slash = strchr(id, '/')) == NULL || slash == id ||
	    slash[1] == '\0' || (zid = strndup(id, slash - id)) == NULL)
		return -1;
	if (strspn(zid, "0123456789") != strlen(zid))
		goto out;
	if ((path = rrset_path(h, zid, slash + 1)) == NULL ||
	    (body = hz_records_body(h->value, NULL)) == NULL ||
	    (tail = xasprintf("%s/actions/set_records", path)) == NULL) {
		ret = fail(h, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	free(path);
	path = tail;
	out = hz_write(h, path, body, &nf, why);
	if (out != OUT_UPDATED && nf) {
		log_info("%s: RRSet %s is gone (%s); looking it up", h->label,
		    id, *why);
		free(*why);
		*why = NULL;
		goto out;
	}
	if (out == OUT_UPDATED && remember(h, zid, slash + 1, why) !=
	    OUT_CURRENT)
		out = OUT_TEMPFAIL;
	ret = out;
out:
	free(zid);
	free(path);
	free(body);
	return ret;
}

/*
 * Find the zone and the RRSet, and create it, write what differs, or
 * find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct hz *h, char **why)
{
	struct http_resp resp;
	struct hz_rrset	 rs;
	char		*zid = NULL, *zname = NULL, *zjunk = NULL, *rr = NULL;
	char		*path = NULL, *apath = NULL, *body = NULL, *inner = NULL;
	enum outcome	 out;
	int		 found, nf, wrote = 0;

	memset(&rs, 0, sizeof(rs));
	if ((out = find_zone(h, &zid, &zname, why)) != OUT_CURRENT)
		goto out;
	if (provider_split_name(h->rec->name, zname, &zjunk, &rr, &inner) ==
	    -1) {
		out = fail(h, OUT_CONFIG, inner, why);
		goto out;
	}
	lower(rr);
	if ((path = rrset_path(h, zid, rr)) == NULL) {
		out = fail(h, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = hz_call(h, "GET", path, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = hz_parse_rrset(resp.status, resp.body, rr, h->type, &rs, &found,
	    &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(h, out, inner, why);
		goto out;
	}
	if (!found) {
		free(path);
		if ((path = xasprintf("/zones/%s/rrsets", zid)) == NULL ||
		    (body = hz_create_body(rr, h->type, h->value,
		    h->rec->ttl, NULL)) == NULL) {
			out = fail(h, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = hz_write(h, path, body, &nf, why)) == OUT_UPDATED)
			out = remember(h, zid, rr, why) == OUT_CURRENT ?
			    OUT_UPDATED : OUT_TEMPFAIL;
		goto out;
	}
	if (rs.nrec != 1 || !provider_same_address(rs.value, h->value)) {
		if (rs.nrec > 1)
			log_warnx("%s: the RRSet holds %zu records; replacing "
			    "them with %s", h->label, rs.nrec, h->value);
		if ((apath = xasprintf("%s/actions/set_records", path)) ==
		    NULL || (body = hz_records_body(h->value, NULL)) == NULL) {
			out = fail(h, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = hz_write(h, apath, body, &nf, why)) != OUT_UPDATED)
			goto out;
		wrote = 1;
	}
	if (h->rec->ttl > 0 && h->rec->ttl != rs.ttl) {
		free(apath);
		free(body);
		if ((apath = xasprintf("%s/actions/change_ttl", path)) ==
		    NULL || (body = hz_ttl_body(h->rec->ttl)) == NULL) {
			out = fail(h, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = hz_write(h, apath, body, &nf, why)) != OUT_UPDATED)
			goto out;
		wrote = 1;
	}
	if (!wrote)
		log_info("%s: RRSet %s already holds %s", h->label, rr,
		    h->value);
	if ((out = remember(h, zid, rr, why)) == OUT_CURRENT && wrote)
		out = OUT_UPDATED;
out:
	hz_rrset_free(&rs);
	free(zid);
	free(zname);
	free(zjunk);
	free(rr);
	free(path);
	free(apath);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct hz	 h;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = hz_init(&h, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells us nothing when the record
	 * should hold addr already (forced, or a configuration change):
	 * then look and compare instead. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&h, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&h, why);
out:
	hz_done(&h);
	return out;
}

/* NULL if rec names a token, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	long	 w;

	if (rec_str(rec, "token") == NULL)
		return xasprintf("hetzner needs \"token\" (a Hetzner Cloud "
		    "API token with Read & Write)");
	w = rec_int(rec, "wait", HZ_WAIT);
	if (w < 0 || w > HZ_WAIT_MAX)
		return xasprintf("hetzner: \"wait\" must be 0 to %d seconds",
		    HZ_WAIT_MAX);
	return NULL;
}

const struct provider provider_hetzner = {
	.name = "hetzner",
	.keys = keys,
	.push = push,
	.check = check,
};
