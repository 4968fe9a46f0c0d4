/*
 * namecom: Name.com DNS records, API v4.
 * https://www.name.com/api-docs/DNS
 *
 * Quirks handled:
 * - HTTP Basic auth with the account user name and an API token; the
 *   test environment (api.dev.name.com) wants the "-test" user name and
 *   its own token.
 * - Records live under the domain name; the domain is the configured
 *   zone, else the longest suffix of the name of two labels or more that
 *   GET /v4/domains/{domain} finds (404 means "not this one"). Answers,
 *   misses included, are cached for the run.
 * - GET .../records has no name or type filter: it is read page by page
 *   (perPage=1000, "nextPage") and filtered here. "host" is relative and
 *   left out for the apex; a create for the apex leaves it out too.
 * - PUT /v4/domains/{domain}/records/{id} replaces the record (host, type,
 *   answer, ttl), so the ttl is always sent: the configured one, else the
 *   record's own; new records get 300, the API's minimum and default.
 * - Errors are {"message":"...","details":"..."}: 401 a wrong user name or
 *   token, 403 an account with two-step verification whose API access is
 *   off, 404 an unknown domain or record, 429 the rate limit (20 a second,
 *   3000 an hour; Retry-After honoured, else 60 seconds).
 * - The state keeps "<domain>/<record id>/<ttl>", so a later change is one
 *   PUT; a record deleted by hand answers 404 and is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "namecom.h"

#define NC_ENDPOINT	"https://api.name.com/v4"
#define NC_TTL		300	/* for new records when none is set */
#define NC_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define NC_PAGES_MAX	50	/* of 1000 records each */
#define NC_MSG_MAX	400
#define NC_HINT_401	"check username and token: the account's user " \
	"name and a production API token from Account, Settings, API " \
	"Token Management"
#define NC_HINT_403	"with two-step verification on, turn on Name.com " \
	"API Access under Account, Settings, Security"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_REQUIRED | KEY_SECRET },
	{ "username",	KEY_REQUIRED },
	{ NULL,		0 }
};

/* One push in progress. */
struct ncc {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*userpwd;	/* "username:token" */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "namecom: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see namecom.h. */
enum outcome
ncom_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*msg = NULL, *details = NULL, *hint = NULL;
	char		 buf[NC_MSG_MAX] = "";
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
		*why = xasprintf("HTTP %ld: not a Name.com API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s, s?:s}", "message", &msg, "details",
		    &details);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (msg != NULL || details != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
		if (msg != NULL && details != NULL && details[0] != '\0')
			provider_append(buf, sizeof(buf), ": ");
		if (details != NULL)
			provider_append(buf, sizeof(buf), details);
	} else
		provider_append(buf, sizeof(buf), " (no Name.com error in the "
		    "reply)");
	if (status == 401)
		hint = NC_HINT_401;
	else if (status == 403)
		hint = NC_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether root describes the domain; see namecom.h. */
int
ncom_parse_domain(json_t *root, const char *domain)
{
	const char	*name;

	if (json_unpack(root, "{s:s}", "domainName", &name) == -1)
		return -1;
	return strcasecmp(name, domain) == 0;
}

/* Free what an ncom_rec holds and zero it; NULL is a no-op. */
void
ncom_rec_free(struct ncom_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->answer);
	memset(r, 0, sizeof(*r));
}

/* Parse a page of records; see namecom.h. */
int
ncom_parse_records(json_t *root, const char *host, const char *type,
    struct ncom_rec *first, size_t *count, long *next, char **why)
{
	json_t		*list, *r, *jt, *jn;
	const char	*h, *t, *a;
	size_t		 i;

	*next = 0;
	*why = NULL;
	list = json_object_get(root, "records");
	/* A domain without records answers {} . */
	if (list == NULL && json_object_get(root, "nextPage") == NULL)
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("no \"records\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		h = "";
		if (json_unpack(r, "{s?:s, s:s, s:s}", "host", &h, "type", &t,
		    "answer", &a) == -1) {
			*why = xasprintf("record %zu lacks host, type or "
			    "answer", i);
			return -1;
		}
		if (strcmp(t, type) != 0 || strcasecmp(h, host) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			return -1;
		}
		if ((first->answer = strdup(a)) == NULL) {
			*why = xasprintf("out of memory");
			return -1;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	jn = json_object_get(root, "nextPage");
	if (json_is_integer(jn) && json_integer_value(jn) > 0)
		*next = (long)json_integer_value(jn);
	return 0;
}

/* The written record's id; see namecom.h. */
char *
ncom_parse_write(json_t *root)
{
	return provider_json_id(json_object_get(root, "id"));
}

/* Build a POST or PUT body; see namecom.h. */
char *
ncom_build_body(const char *host, const char *type, const char *data, long ttl)
{
	json_t	*o;
	char	*s = NULL;

	if ((o = json_object()) == NULL)
		return NULL;
	if ((host[0] != '\0' && json_object_set_new(o, "host",
	    json_string(host)) == -1) ||
	    json_object_set_new(o, "type", json_string(type)) == -1 ||
	    json_object_set_new(o, "answer", json_string(data)) == -1 ||
	    json_object_set_new(o, "ttl", json_integer(ttl)) == -1)
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
fail(struct ncc *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "namecom",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = NC_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ncom_init(struct ncc *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*user, *tok;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("namecom: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	user = rec_str(rec, "username");
	tok = rec_str(rec, "token");
	if (user == NULL || *user == '\0' || strchr(user, ':') != NULL ||
	    provider_has_ctl(user))
		return fail(c, OUT_CONFIG, xasprintf("username is empty or has "
		    "a ':' or a control character"), why);
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("token is empty or has "
		    "a control character"), why);
	if ((c->userpwd = xasprintf("%s:%s", user, tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    NC_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no domain: "
		    "a Name.com domain has two labels or more", rec->name),
		    why);
	return OUT_CURRENT;
}

/* Free what ncom_init() allocated. */
static void
cleanup(struct ncc *c)
{
	if (c->userpwd != NULL)
		explicit_bzero(c->userpwd, strlen(c->userpwd));
	free(c->userpwd);
	free(c->base);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s); else an error outcome with *why (including
 * 404: c->status tells).
 */
static enum outcome
ncom_call(struct ncc *c, const char *method, const char *url,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	char		*inner = NULL;
	enum outcome	 out;

	*root = NULL;
	c->status = 0;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    NULL, c->userpwd, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = ncom_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether the account has the domain cand (a provider_zone_fn):
 * OUT_CURRENT with *val the name (malloc'd) or NULL when it has not,
 * else an error outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct ncc	*c = arg;
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
	out = ncom_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
		r = 0;
	} else if (out != OUT_CURRENT)
		goto out;
	else if ((r = ncom_parse_domain(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /domains/%s: no "
		    "domainName in the reply", cand), why);
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
 * suffix of the name the account has. OUT_CURRENT with *zone (malloc'd,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_domain(struct ncc *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Name.com domain";
	w.hint = "the domain must be registered or managed in this "
	    "account, or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("namecom:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* Set ctx->new_record_id to "zone/rid/ttl"; out, or an error outcome
 * with *why when out of memory. */
static enum outcome
remember(struct ncc *c, enum outcome out, const char *zone, const char *rid,
    long ttl, char **why)
{
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s/%ld", zone, rid,
	    ttl)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return out;
}

/*
 * POST (rid NULL) or PUT the record rid of zone with ttl. OUT_UPDATED and
 * ctx->new_record_id set, or an error outcome with *why (c->status 404
 * when a PUT finds no record).
 */
static enum outcome
ncom_write(struct ncc *c, const char *zone, const char *rid, long ttl,
    char **why)
{
	json_t		*root = NULL;
	char		*host = NULL, *ez = NULL, *url = NULL, *body = NULL;
	char		*nid = NULL;
	enum outcome	 out;

	if ((host = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (body = ncom_build_body(host, c->type, c->data, ttl)) == NULL ||
	    (ez = http_pctenc(zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	url = rid == NULL ? xasprintf("%s/domains/%s/records", c->base, ez) :
	    xasprintf("%s/domains/%s/records/%s", c->base, ez, rid);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, rid == NULL ? "creating" : "updating",
	    body);
	if ((out = ncom_call(c, rid == NULL ? "POST" : "PUT", url, body,
	    &root, why)) != OUT_CURRENT)
		goto out;
	if ((nid = ncom_parse_write(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no record id "
		    "in the reply", c->status), why);
		goto out;
	}
	out = remember(c, OUT_UPDATED, zone, nid, ttl, why);
out:
	json_decref(root);
	free(host);
	free(ez);
	free(url);
	free(body);
	free(nid);
	return out;
}

/* 1 if s is 1-20 decimal digits, else 0. */
static int
digits(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}

/*
 * The one-call update through what the state remembers: OUT_UPDATED or an
 * error outcome with *why; or -1, nothing set, when the stored value does
 * not fit or the record is gone and the caller should look it up.
 */
static int
update_known(struct ncc *c, char **why)
{
	char		*zone, *rid = NULL, *sttl = NULL, *p;
	size_t		 nl, zl;
	long		 ttl;
	int		 i, ret = -1;

	/* "zone/rid/ttl", split from the right. */
	if ((zone = strdup(c->ctx->record_id)) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		if ((p = strrchr(zone, '/')) == NULL || p == zone)
			goto out;
		*p++ = '\0';
		if (!digits(p))
			goto out;
		if (i == 0)
			sttl = p;
		else
			rid = p;
	}
	ttl = strtol(sttl, NULL, 10);
	if (ttl <= 0 || ttl > 2147483647L)
		goto out;
	if (c->rec->ttl > 0)
		ttl = c->rec->ttl;
	/* A zone changed in the configuration wins over the state, and
	 * the stored domain must still hold the name. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (strchr(zone, '.') == NULL || provider_has_ctl(zone) ||
	    nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	ret = ncom_write(c, zone, rid, ttl, why);
	if (ret != OUT_UPDATED && c->status == 404) {
		log_info("%s: record %s is gone; looking it up", c->label,
		    rid);
		free(*why);
		*why = NULL;
		ret = -1;
	}
out:
	free(zone);
	return ret;
}

/*
 * Find the record by host and type and create it, update it, or find it
 * current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ncc *c, char **why)
{
	struct ncom_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *host = NULL, *ez = NULL, *url = NULL;
	char		*inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;
	long		 page = 1, next, ttl;

	memset(&have, 0, sizeof(have));
	if ((out = find_domain(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((host = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (ez = http_pctenc(zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	for (;;) {
		free(url);
		json_decref(root);
		root = NULL;
		if ((url = xasprintf("%s/domains/%s/records?perPage=1000&"
		    "page=%ld", c->base, ez, page)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ncom_call(c, "GET", url, NULL, &root, why)) !=
		    OUT_CURRENT)
			goto out;
		if (ncom_parse_records(root, host, c->type, &have, &count,
		    &next, &inner) == -1) {
			out = fail(c, OUT_PROTOCOL, inner, why);
			goto out;
		}
		if (next == 0)
			break;
		if (next <= page || page >= NC_PAGES_MAX) {
			out = fail(c, OUT_PROTOCOL, xasprintf("record pages do "
			    "not end (page %ld says next is %ld)", page,
			    next), why);
			goto out;
		}
		page = next;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if (count == 0) {
		out = ncom_write(c, zone, NULL, c->rec->ttl > 0 ? c->rec->ttl :
		    NC_TTL, why);
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl > 0 ? have.ttl :
	    NC_TTL;
	if (provider_same_address(have.answer, c->data) && ttl == have.ttl) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		out = remember(c, OUT_CURRENT, zone, have.id, ttl, why);
		goto out;
	}
	out = ncom_write(c, zone, have.id, ttl, why);
out:
	json_decref(root);
	ncom_rec_free(&have);
	free(zone);
	free(host);
	free(ez);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ncc	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ncom_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct ncc	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ncom_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_namecom = {
	.name = "namecom",
	.keys = keys,
	.push = push,
	.check = check,
};
