/*
 * dnsimple: DNSimple zone records, API v2.
 * https://developer.dnsimple.com/v2/zones/records/
 *
 * Quirks handled:
 * - Every path starts with the account id. It is configured
 *   ("account_id"), or asked for once per run with GET /v2/accounts: an
 *   account token reaches one account; a user token may reach several,
 *   and then the user must say which.
 * - The zone is found by asking GET /v2/{account}/zones/{name} for the
 *   configured zone, else for each suffix of the name with two labels or
 *   more, longest first (provider_find_zone); 404 means "not this one".
 * - Record names are relative, "" for the apex. The list call takes
 *   name= and type= filters, but the filter is checked again here (an
 *   API or proxy ignoring it must not get another record rewritten), and
 *   the reply is paged (per_page at most 100): every page is read.
 * - PATCH takes only the fields that change, so the rest of the record
 *   (its regions, priority) survives; new records get DNSimple's default
 *   TTL unless "ttl" is set.
 * - Errors are {"message": "...", "errors": {field: [...]}}: 401 is a
 *   wrong or revoked token, 402 a plan without the feature, 404 an
 *   unknown account, zone or record, 400 a refused value.
 * - 429: the limit is per hour; without a Retry-After we wait until the
 *   X-RateLimit-Reset time the reply gives (at most an hour), else 60 s.
 * - The state keeps "<zone>/<record id>", so a later change is one PATCH;
 *   a record deleted by hand answers 404 and is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "providers.h"
#include "dnsimple.h"

#define DS_ENDPOINT	"https://api.dnsimple.com/v2"
#define DS_PER_PAGE	100	/* the API's maximum */
#define DS_MAX_PAGES	50
#define DS_WAIT_429	60	/* seconds, when a 429 says nothing */
#define DS_MSG_MAX	400
#define DS_HINT_401	"check token: an account API token from DNSimple's " \
	"account page, Automation, API access tokens"
#define DS_HINT_402	"the DNSimple plan does not include this"

static const struct provider_key keys[] = {
	{ "account_id",	0 },
	{ "endpoint",	0 },
	{ "token",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct dsp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*account;	/* the account id */
	char			*label;		/* "dnsimple: name A" */
	long			 status;	/* of the last answer, or 0 */
	long			 retry_after;	/* of the last answer, or -1 */
	long long		 reset;		/* X-RateLimit-Reset, or -1 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* 1 if s is 1-20 decimal digits, else 0. */
static int
digits(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}

/* Append the field errors of a validation reply ("f: a, b; g: c"). */
static void
append_errors(char *buf, size_t sz, json_t *errors)
{
	const char	*field;
	json_t		*list, *m;
	size_t		 i;
	int		 first = 1;

	json_object_foreach(errors, field, list) {
		provider_append(buf, sz, first ? " (" : "; ");
		provider_append(buf, sz, field);
		provider_append(buf, sz, ":");
		json_array_foreach(list, i, m) {
			if (!json_is_string(m))
				continue;
			provider_append(buf, sz, i > 0 ? ", " : " ");
			provider_append(buf, sz, json_string_value(m));
		}
		first = 0;
	}
	if (!first)
		provider_append(buf, sz, ")");
}

/* Read a reply; see dnsimple.h. */
enum outcome
ds_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL, *errors;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[DS_MSG_MAX] = "";
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
		*why = xasprintf("HTTP %ld: not a DNSimple API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = status == 402 ? OUT_CONFIG : provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s}", "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
		errors = json_object_get(root, "errors");
		if (json_is_object(errors))
			append_errors(buf, sizeof(buf), errors);
	} else
		provider_append(buf, sizeof(buf), " (no DNSimple error in the "
		    "reply)");
	if (status == 401)
		hint = DS_HINT_401;
	else if (status == 402)
		hint = DS_HINT_402;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* The accounts a token reaches; see dnsimple.h. */
int
ds_parse_accounts(json_t *root, char **id)
{
	json_t	*list, *a;
	char	 ids[256] = "", *one;
	size_t	 i;

	*id = NULL;
	list = json_object_get(root, "data");
	if (!json_is_array(list))
		return -1;
	json_array_foreach(list, i, a) {
		if ((one = provider_json_id(json_object_get(a, "id"))) == NULL)
			return -1;
		if (i > 0)
			provider_append(ids, sizeof(ids), ", ");
		provider_append(ids, sizeof(ids), one);
		free(one);
	}
	if (json_array_size(list) > 0 && (*id = strdup(ids)) == NULL)
		return -1;
	return (int)json_array_size(list);
}

/* Whether root describes zone; see dnsimple.h. */
int
ds_parse_zone(json_t *root, const char *zone)
{
	const char	*name;

	if (json_unpack(root, "{s:{s:s}}", "data", "name", &name) == -1)
		return -1;
	return strcasecmp(name, zone) == 0;
}

/* Free what a ds_rec holds and zero it; NULL is a no-op. */
void
ds_rec_free(struct ds_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* One page of a record list; see dnsimple.h. */
int
ds_parse_records(json_t *root, const char *rel, const char *type,
    struct ds_rec *first, size_t *count, long *pages, char **why)
{
	json_t		*list, *r, *jt, *tp;
	const char	*n, *t, *c;
	size_t		 i;
	int		 sys;

	*why = NULL;
	*pages = 1;
	list = json_object_get(root, "data");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"data\" array in the reply");
		return -1;
	}
	tp = json_object_get(json_object_get(root, "pagination"),
	    "total_pages");
	if (json_is_integer(tp))
		*pages = (long)json_integer_value(tp);
	json_array_foreach(list, i, r) {
		sys = 0;
		if (json_unpack(r, "{s:s, s:s, s:s, s?:b}", "name", &n, "type",
		    &t, "content", &c, "system_record", &sys) == -1) {
			*why = xasprintf("record %zu lacks name, type or "
			    "content", i);
			return -1;
		}
		if (sys || strcmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0 || first->id != NULL)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			return -1;
		}
		if ((first->content = strdup(c)) == NULL) {
			*why = xasprintf("out of memory");
			return -1;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
}

/* The written record's id; see dnsimple.h. */
char *
ds_parse_write(json_t *root)
{
	return provider_json_id(json_object_get(json_object_get(root, "data"),
	    "id"));
}

/* Build a create or PATCH body; see dnsimple.h. */
int
ds_build_body(const char *type, const char *rel, const char *content,
    long ttl, const struct ds_rec *have, char **body)
{
	json_t	*o;
	int	 n = 0;

	*body = NULL;
	if (have == NULL) {
		o = json_pack("{s:s, s:s, s:s}", "name", rel, "type", type,
		    "content", content);
		if (o != NULL && ttl > 0)
			json_object_set_new(o, "ttl", json_integer(ttl));
		n = 3;
	} else {
		if ((o = json_object()) == NULL)
			return -1;
		if (!provider_same_address(have->content, content)) {
			json_object_set_new(o, "content", json_string(content));
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

/* The wait after a 429; see dnsimple.h. */
long
ds_wait_429(long retry_after, long long reset, time_t now)
{
	if (retry_after >= 0)
		return retry_after;
	if (reset > (long long)now && reset - (long long)now <= 3600)
		return (long)(reset - (long long)now);
	return DS_WAIT_429;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and set the wait after a 429; returns out. */
static enum outcome
fail(struct dsp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "dnsimple",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429)
		c->ctx->retry_after = ds_wait_429(c->retry_after, c->reset,
		    time(NULL));
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ds_init(struct dsp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok, *acct;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	c->retry_after = c->reset = -1;
	if ((c->label = xasprintf("dnsimple: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "token");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("token is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: Bearer %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    DS_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if ((acct = rec_str(rec, "account_id")) != NULL) {
		if (!digits(acct))
			return fail(c, OUT_CONFIG, xasprintf("account_id "
			    "\"%s\" is not a DNSimple account number", acct),
			    why);
		if ((c->account = strdup(acct)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "a DNSimple zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what ds_init() allocated. */
static void
cleanup(struct dsp *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->account);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s); else an error outcome with *why (including
 * 404: c->status tells).
 */
static enum outcome
ds_call(struct dsp *c, const char *method, const char *url,
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
	c->retry_after = c->reset = -1;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	c->retry_after = resp.retry_after;
	c->reset = resp.ratelimit_reset;
	out = ds_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * The account id into c->account: as configured, else the only account
 * the token reaches (asked once per run and token). OUT_CURRENT, or an
 * error outcome with *why.
 */
static enum outcome
account(struct dsp *c, char **why)
{
	json_t		*root = NULL;
	char		*key = NULL, *url = NULL, *ids = NULL, tokhash[65];
	enum outcome	 out;
	int		 n;

	if (c->account != NULL)
		return OUT_CURRENT;
	/* The cache outlives this record: key it by a hash, not the token. */
	crypto_sha256_hex(c->auth, strlen(c->auth), tokhash);
	tokhash[16] = '\0';
	if ((key = xasprintf("dnsimple:%s:account:%s", c->base,
	    tokhash)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (provider_cache_get(c->ctx, key, &c->account) == 1 &&
	    c->account != NULL) {
		free(key);
		return OUT_CURRENT;
	}
	if ((url = xasprintf("%s/accounts", c->base)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ds_call(c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if ((n = ds_parse_accounts(root, &ids)) == -1)
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /accounts: no "
		    "data array of accounts with ids in the reply"), why);
	else if (n == 0)
		out = fail(c, OUT_AUTH, xasprintf("the token reaches no "
		    "account"), why);
	else if (n > 1) {
		c->ctx->hold = 1;
		out = fail(c, OUT_CONFIG, xasprintf("the token reaches "
		    "accounts %s: set \"account_id\" to one of them", ids),
		    why);
	} else {
		c->account = ids;
		ids = NULL;
		log_info("%s: account %s", c->label, c->account);
		provider_cache_put(c->ctx, key, c->account);
	}
out:
	json_decref(root);
	free(ids);
	free(key);
	free(url);
	return out;
}

/*
 * Whether the account has the zone cand (a provider_zone_fn): OUT_CURRENT
 * with *val the name (malloc'd) or NULL when it has not, else an error
 * outcome with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct dsp	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r = 0;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/%s/zones/%s", c->base, c->account,
	    e)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ds_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
	} else if (out != OUT_CURRENT)
		goto out;
	else if ((r = ds_parse_zone(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET zones/%s: no "
		    "data.name in the reply", cand), why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, cand, r ? "found" :
	    "not in this account");
	if (r && (*val = strdup(cand)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	json_decref(root);
	free(e);
	free(url);
	return out;
}

/* The zone the record lives in into *zone (malloc'd); the outcome. */
static enum outcome
find_zone(struct dsp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "DNSimple zone";
	w.hint = "add the domain to the account, or set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("dnsimple:%s:%s", c->base,
	    c->account)) == NULL)
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
ds_write(struct dsp *c, const char *zone, const char *id, const char *body,
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
	url = id == NULL ? xasprintf("%s/%s/zones/%s/records", c->base,
	    c->account, ez) : xasprintf("%s/%s/zones/%s/records/%s", c->base,
	    c->account, ez, id);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, id == NULL ? "creating" : "updating",
	    body);
	if ((out = ds_call(c, id == NULL ? "POST" : "PATCH", url, body,
	    &root, why)) != OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		goto out;
	}
	if ((nid = ds_parse_write(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("%s: no data.id in the "
		    "reply", id == NULL ? "POST" : "PATCH"), why);
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
update_known(struct dsp *c, char **why)
{
	struct ds_rec	 none;
	const char	*slash, *sid = c->ctx->record_id;
	char		*zone = NULL, *body = NULL;
	size_t		 nl, zl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strrchr(sid, '/')) == NULL || slash == sid ||
	    !digits(slash + 1) || (zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state, and
	 * the stored zone must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	memset(&none, 0, sizeof(none));
	none.content = "";
	if (ds_build_body(c->type, NULL, c->data, c->rec->ttl, &none,
	    &body) == -1) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = account(c, why)) != OUT_CURRENT) {
		ret = out;
		goto out;
	}
	out = ds_write(c, zone, slash + 1, body, &gone, why);
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
update_lookup(struct dsp *c, char **why)
{
	struct ds_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *rel = NULL, *ez = NULL, *en = NULL;
	char		*url = NULL, *body = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 page, pages = 1;
	enum outcome	 out;
	int		 n, gone;

	memset(&have, 0, sizeof(have));
	if ((out = account(c, why)) != OUT_CURRENT ||
	    (out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (ez = http_pctenc(zone)) == NULL ||
	    (en = http_pctenc(rel)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	for (page = 1; page <= pages && page <= DS_MAX_PAGES; page++) {
		free(url);
		json_decref(root);
		root = NULL;
		if ((url = xasprintf("%s/%s/zones/%s/records?name=%s&type=%s&"
		    "per_page=%d&page=%ld", c->base, c->account, ez, en,
		    c->type, DS_PER_PAGE, page)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ds_call(c, "GET", url, NULL, &root, why)) !=
		    OUT_CURRENT)
			goto out;
		if (ds_parse_records(root, rel, c->type, &have, &count, &pages,
		    &inner) == -1) {
			out = fail(c, OUT_PROTOCOL, inner, why);
			goto out;
		}
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if ((n = ds_build_body(c->type, rel, c->data, c->rec->ttl,
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
	out = ds_write(c, zone, count > 0 ? have.id : NULL, body, &gone, why);
out:
	json_decref(root);
	ds_rec_free(&have);
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
	struct dsp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ds_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct dsp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ds_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_dnsimple = {
	.name = "dnsimple",
	.keys = keys,
	.push = push,
	.check = check,
};
