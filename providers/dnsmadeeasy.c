/*
 * dnsmadeeasy: DNS Made Easy managed DNS, REST API v2.0.
 * https://api-docs.dnsmadeeasy.com/
 *
 * Quirks handled:
 * - Every request carries x-dnsme-apiKey, x-dnsme-requestDate (the
 *   current time in HTTP format) and x-dnsme-hmac, the hex HMAC-SHA1 of
 *   that date keyed with the secret key. The date is checked against the
 *   server's clock, so the host's clock must be right.
 * - The domain id comes from GET /dns/managed/name?domainname=, for the
 *   configured zone, else each suffix of the name of two labels or more,
 *   longest first; 404 means "not this one". Answers, misses included,
 *   are cached for the run.
 * - Records are named relative to the domain, the apex is "" (never "@");
 *   GET .../records?recordName=&type= filters, and the filter is checked
 *   again here. The apex is asked for by type only.
 * - PUT /dns/managed/{domain}/records/{id} wants the whole record (name,
 *   type, value, id, gtdLocation, ttl) and answers 200 with no body.
 *   New records get ttl 1800 (the control panel's default) unless
 *   configured; an update keeps the record's ttl unless configured.
 * - Errors are {"error":["...", ...]}. A wrong key or signature is 403;
 *   the rate limit (150 requests in a rolling 5 minutes) answers 400
 *   "Rate limit exceeded", which is temporary: we wait 300 seconds
 *   unless a Retry-After comes.
 * - The state keeps "<zone>/<domain id>/<record id>/<ttl>", so a later
 *   change is one PUT; a record deleted by hand answers 404 and is looked
 *   up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "providers.h"
#include "dnsmadeeasy.h"

#define DME_ENDPOINT	"https://api.dnsmadeeasy.com/V2.0"
#define DME_TTL		1800	/* for new records when none is set */
#define DME_WAIT_LIMIT	300	/* seconds: the rate limit's window */
#define DME_MSG_MAX	400
#define DME_HINT_AUTH	"check api_key and secret_key: the API key and " \
	"secret key of the control panel's Config, Account Information " \
	"(API access must be on), and the host's clock"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct dmec {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*secret;
	char			*keyhdr;	/* the x-dnsme-apiKey header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "dnsmadeeasy: name A" */
	long			 status;	/* of the last answer, or 0 */
	int			 limited;	/* the last answer: rate limit */
};

/* ---- pure parts --------------------------------------------------------- */

/* Sign a request date; see dnsmadeeasy.h. */
int
dme_sign(const char *secret, time_t t, char date[DME_DATE_MAX],
    char hmac[41])
{
	unsigned char	 mac[20];

	hmac[0] = '\0';
	crypto_utc(t, "%a, %d %b %Y %H:%M:%S GMT", date, DME_DATE_MAX);
	if (date[0] == '\0' || crypto_hmac(1, secret, strlen(secret), date,
	    strlen(date), mac) != sizeof(mac))
		return -1;
	crypto_hex(mac, sizeof(mac), hmac);
	return 0;
}

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see dnsmadeeasy.h. */
enum outcome
dme_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL, *err, *v;
	json_error_t	 jerr;
	const char	*hint = NULL;
	char		 buf[DME_MSG_MAX] = "";
	enum outcome	 out;
	size_t		 i, n = 0;
	int		 limited = 0;

	*rootp = NULL;
	*why = NULL;
	if (body == NULL || body[0] == '\0') {
		if (is2xx(status))
			return OUT_CURRENT;
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	} else
		root = json_loads(body, 0, &jerr);
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
		*why = xasprintf("HTTP %ld: not a DNS Made Easy API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	err = root != NULL ? json_object_get(root, "error") : NULL;
	if (json_is_string(err)) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), json_string_value(err));
		limited = strcasecmp(json_string_value(err),
		    "Rate limit exceeded") == 0;
		n = 1;
	}
	json_array_foreach(err, i, v) {
		if (!json_is_string(v))
			continue;
		provider_append(buf, sizeof(buf), n++ == 0 ? ": " : "; ");
		provider_append(buf, sizeof(buf), json_string_value(v));
		if (strcasecmp(json_string_value(v), "Rate limit exceeded") ==
		    0)
			limited = 1;
	}
	if (n == 0)
		provider_append(buf, sizeof(buf), " (no DNS Made Easy error in "
		    "the reply)");
	if (limited)
		out = OUT_TEMPFAIL;
	else if (status == 401 || status == 403)
		hint = DME_HINT_AUTH;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Parse a domain; see dnsmadeeasy.h. */
int
dme_parse_domain(json_t *root, const char *zone, char **id)
{
	const char	*name;

	*id = NULL;
	if (json_unpack(root, "{s:s}", "name", &name) == -1)
		return -1;
	if (strcasecmp(name, zone) != 0)
		return 0;
	if ((*id = provider_json_id(json_object_get(root, "id"))) == NULL)
		return -1;
	return 1;
}

/* Free what a dme_rec holds and zero it; NULL is a no-op. */
void
dme_rec_free(struct dme_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* Parse a record list; see dnsmadeeasy.h. */
int
dme_parse_records(json_t *root, const char *rel, const char *type,
    struct dme_rec *first, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*n, *t, *v;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(root, "data");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"data\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "name", &n, "type", &t,
		    "value", &v) == -1) {
			*why = xasprintf("record %zu lacks name, type or value",
			    i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r, "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->value = strdup(v)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	dme_rec_free(first);
	*count = 0;
	return -1;
}

/* The created record's id; see dnsmadeeasy.h. */
char *
dme_parse_write(json_t *root)
{
	return root != NULL ? provider_json_id(json_object_get(root, "id")) : NULL;
}

/* Build a POST or PUT body; see dnsmadeeasy.h. */
char *
dme_build_body(const char *rel, const char *type, const char *data, long ttl,
    const char *id)
{
	json_t	*o;
	char	*s = NULL;

	o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "name", rel, "type", type,
	    "value", data, "gtdLocation", "DEFAULT", "ttl", (json_int_t)ttl);
	if (o == NULL)
		return NULL;
	if (id != NULL && json_object_set_new(o, "id",
	    json_integer((json_int_t)strtoll(id, NULL, 10))) == -1)
		goto out;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after the rate limit; returns
 * out. */
static enum outcome
fail(struct dmec *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "dnsmadeeasy", inner != NULL ? inner : "out of memory");
	free(inner);
	if ((c->limited || c->status == 429) && c->ctx->retry_after <= 0)
		c->ctx->retry_after = DME_WAIT_LIMIT;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
dme_init(struct dmec *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*key;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("dnsmadeeasy: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	key = rec_str(rec, "api_key");
	c->secret = rec_str(rec, "secret_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key))
		return fail(c, OUT_CONFIG, xasprintf("api_key is empty or has "
		    "a control character"), why);
	if (c->secret == NULL || *c->secret == '\0')
		return fail(c, OUT_CONFIG, xasprintf("secret_key is empty"),
		    why);
	if ((c->keyhdr = xasprintf("x-dnsme-apiKey: %s", key)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    DME_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: "
		    "a DNS Made Easy domain has two labels or more",
		    rec->name), why);
	return OUT_CURRENT;
}

/* Free what dme_init() allocated. */
static void
cleanup(struct dmec *c)
{
	if (c->keyhdr != NULL)
		explicit_bzero(c->keyhdr, strlen(c->keyhdr));
	free(c->keyhdr);
	free(c->base);
	free(c->label);
}

/*
 * Sign and send method url with the JSON body (or none). OUT_CURRENT with
 * *root (caller json_decref()s; NULL for an empty 2xx reply); else an
 * error outcome with *why (including 404: c->status tells).
 */
static enum outcome
dme_call(struct dmec *c, const char *method, const char *url,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	const char	*hdrs[4];
	char		 date[DME_DATE_MAX], hmac[41];
	char		*dhdr = NULL, *hhdr = NULL, *inner = NULL;
	enum outcome	 out;

	*root = NULL;
	c->status = 0;
	c->limited = 0;
	if (dme_sign(c->secret, time(NULL), date, hmac) == -1)
		return fail(c, OUT_TEMPFAIL, xasprintf("cannot sign the "
		    "request"), why);
	if ((dhdr = xasprintf("x-dnsme-requestDate: %s", date)) == NULL ||
	    (hhdr = xasprintf("x-dnsme-hmac: %s", hmac)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[0] = c->keyhdr;
	hdrs[1] = dhdr;
	hdrs[2] = hhdr;
	hdrs[3] = NULL;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		goto out;
	c->status = resp.status;
	out = dme_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		c->limited = out == OUT_TEMPFAIL && c->status == 400;
		out = fail(c, out, inner, why);
	}
out:
	free(dhdr);
	free(hhdr);
	explicit_bzero(hmac, sizeof(hmac));
	return out;
}

/*
 * The id of domain cand (a provider_zone_fn): OUT_CURRENT with *id
 * (malloc'd) or NULL when the account has no such domain, else an error
 * outcome with *why.
 */
static enum outcome
domain_id(void *arg, const char *cand, char **id, char **why)
{
	struct dmec	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;

	*id = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/dns/managed/name?domainname=%s", c->base,
	    e)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = dme_call(c, "GET", url, NULL, &root, why);
	if (out != OUT_CURRENT && c->status == 404) {
		free(*why);
		*why = NULL;
		out = OUT_CURRENT;
	} else if (out != OUT_CURRENT)
		goto out;
	else if (root == NULL || dme_parse_domain(root, cand, id) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no domain "
		    "name and id in the reply", c->status), why);
		goto out;
	}
	log_info("%s: domain %s: %s%s", c->label, cand, *id != NULL ?
	    "id " : "not on this account", *id != NULL ? *id : "");
out:
	json_decref(root);
	free(e);
	free(url);
	return out;
}

/*
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name the account has. OUT_CURRENT with *zone and *id
 * (malloc'd, caller frees), else an outcome with *why.
 */
static enum outcome
find_domain(struct dmec *c, char **zone, char **id, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "DNS Made Easy domain";
	w.hint = "add the domain under DNS, Managed DNS, or set \"zone\"";
	w.lookup = domain_id;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("dnsmadeeasy:%s", c->base)) ==
	    NULL) {
		*zone = *id = NULL;
		return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(c->ctx, c->rec, &w, zone, id, why);
	free(pfx);
	return out;
}

/* Set ctx->new_record_id to "zone/did/rid/ttl"; OUT_UPDATED or OUT_CURRENT
 * as out, or an error outcome with *why when out of memory. */
static enum outcome
remember(struct dmec *c, enum outcome out, const char *zone, const char *did,
    const char *rid, long ttl, char **why)
{
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s/%s/%ld", zone, did,
	    rid, ttl)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return out;
}

/*
 * POST (rid NULL) or PUT the record rid of domain did in zone, with ttl.
 * OUT_UPDATED and ctx->new_record_id set, or an error outcome with *why
 * (c->status 404 when a PUT finds no record).
 */
static enum outcome
dme_write(struct dmec *c, const char *zone, const char *did, const char *rid,
    long ttl, char **why)
{
	json_t		*root = NULL;
	char		*rel = NULL, *url = NULL, *body = NULL, *nid = NULL;
	enum outcome	 out;

	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (body = dme_build_body(rel, c->type, c->data, ttl, rid)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	url = rid == NULL ? xasprintf("%s/dns/managed/%s/records", c->base,
	    did) : xasprintf("%s/dns/managed/%s/records/%s", c->base, did, rid);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s", c->label, rid == NULL ? "creating" : "updating",
	    body);
	if ((out = dme_call(c, rid == NULL ? "POST" : "PUT", url, body,
	    &root, why)) != OUT_CURRENT)
		goto out;
	if (rid == NULL && (nid = dme_parse_write(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: no record id "
		    "in the reply", c->status), why);
		goto out;
	}
	out = remember(c, OUT_UPDATED, zone, did, rid != NULL ? rid : nid,
	    ttl, why);
out:
	json_decref(root);
	free(rel);
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
update_known(struct dmec *c, char **why)
{
	char		*zone, *did = NULL, *rid = NULL, *sttl = NULL, *p;
	size_t		 nl, zl;
	long		 ttl;
	int		 i, ret = -1;

	/* "zone/did/rid/ttl", split from the right. */
	if ((zone = strdup(c->ctx->record_id)) == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		if ((p = strrchr(zone, '/')) == NULL || p == zone)
			goto out;
		*p++ = '\0';
		if (!digits(p))
			goto out;
		if (i == 0)
			sttl = p;
		else if (i == 1)
			rid = p;
		else
			did = p;
	}
	ttl = strtol(sttl, NULL, 10);
	if (ttl <= 0 || ttl > 2147483647L)
		goto out;
	if (c->rec->ttl > 0)
		ttl = c->rec->ttl;
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
	ret = dme_write(c, zone, did, rid, ttl, why);
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
 * Find the record by name and type and create it, update it, or find it
 * current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct dmec *c, char **why)
{
	struct dme_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *did = NULL, *rel = NULL, *en = NULL;
	char		*url = NULL, *inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;
	long		 ttl;

	memset(&have, 0, sizeof(have));
	if ((out = find_domain(c, &zone, &did, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (en = http_pctenc(rel)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	/* recordName= with nothing would not find the apex: by type. */
	url = rel[0] == '\0' ? xasprintf("%s/dns/managed/%s/records?type=%s",
	    c->base, did, c->type) : xasprintf("%s/dns/managed/%s/records?"
	    "recordName=%s&type=%s", c->base, did, en, c->type);
	if (url == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = dme_call(c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if (root == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("HTTP %ld: an empty "
		    "reply to the record list", c->status), why);
		goto out;
	}
	if (dme_parse_records(root, rel, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if (count == 0) {
		out = dme_write(c, zone, did, NULL, c->rec->ttl > 0 ?
		    c->rec->ttl : DME_TTL, why);
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl > 0 ? have.ttl :
	    DME_TTL;
	if (provider_same_address(have.value, c->data) && ttl == have.ttl) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		out = remember(c, OUT_CURRENT, zone, did, have.id, ttl, why);
		goto out;
	}
	out = dme_write(c, zone, did, have.id, ttl, why);
out:
	json_decref(root);
	dme_rec_free(&have);
	free(zone);
	free(did);
	free(rel);
	free(en);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct dmec	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = dme_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct dmec	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (dme_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_dnsmadeeasy = {
	.name = "dnsmadeeasy",
	.keys = keys,
	.push = push,
	.check = check,
};
