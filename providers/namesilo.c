/*
 * namesilo: NameSilo DNS records through the NameSilo API.
 * https://www.namesilo.com/api-reference (dnsListRecords, dnsAddRecord,
 * dnsUpdateRecord; response codes)
 *
 * Quirks handled:
 * - Every call is a GET to /api/<operation>?version=1&type=json&key=<key>
 *   and its parameters; the key travels in the query string, so no
 *   message of ours quotes a URL (http.c redacts it in -vv dumps).
 * - HTTP 200 even on error: the outcome is reply.code, 300 meaning
 *   success; the other codes are mapped from NameSilo's table (110
 *   invalid key, 113 key refused from this IP, 200 domain not in the
 *   account, 115/201/400 try later, 280 DNS modification refused ...).
 *   The code comes as a number or a string, and a single
 *   resource_record as an object instead of an array (the JSON is
 *   converted from XML): both are read.
 * - Records are listed by domain with their FULL name in "host", but
 *   written with rrhost relative to it ("" for the apex). The domain is
 *   the record's "zone", else the last two labels. One listing per
 *   domain per run serves every record in it (the run's cache).
 * - dnsUpdateRecord resets the TTL to 7207 when rrttl is absent, so the
 *   record's current TTL (or the configured one) is always sent; and it
 *   may give the record a new record_id, which is what the state keeps:
 *   "<domain>/<record_id>/<ttl>", so the next change is one call. A
 *   stored id NameSilo refuses (code 280) is looked up again.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "namesilo.h"

#define NS_MSG_MAX	400
#define NS_WAIT		60	/* seconds, for 429 without Retry-After */
#define NS_HINT_KEY	"check key: an API key from the account's API " \
	"Manager page, https://www.namesilo.com/account/api-manager"
#define NS_HINT_IP	"the key is limited to some IP addresses in the API " \
	"Manager: add this host's address or lift the limit"
#define NS_HINT_SUB	"the key belongs to a sub-account: use the main " \
	"account's key"
#define NS_HINT_DOMAIN	"the domain is not active or not in this NameSilo " \
	"account; set \"zone\" if it has more labels"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct nsp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*key;
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "namesilo: name A" */
	char			*zone;
	char			*host;		/* relative, "" for the apex */
	long			 status;	/* of the last answer */
	long			 code;		/* NameSilo's, of the last answer */
};

/* ---- pure parts --------------------------------------------------------- */

/* The URL of op; see namesilo.h. */
char *
namesilo_url(const char *base, const char *op, const char *key,
    const char *const *kv)
{
	char	*url, *k, *v, *next;

	if ((k = http_pctenc(key)) == NULL)
		return NULL;
	url = xasprintf("%s/%s?version=1&type=json&key=%s", base, op, k);
	explicit_bzero(k, strlen(k));
	free(k);
	for (; url != NULL && kv != NULL && kv[0] != NULL; kv += 2) {
		if ((v = http_pctenc(kv[1])) == NULL) {
			free(url);
			return NULL;
		}
		next = xasprintf("%s&%s=%s", url, kv[0], v);
		free(v);
		explicit_bzero(url, strlen(url));
		free(url);
		url = next;
	}
	return url;
}

/* The integer of a JSON integer or all-digit string, or -1. */
static long
jlong(json_t *v)
{
	const char	*s;
	char		*end;
	long		 n;

	if (json_is_integer(v))
		return (long)json_integer_value(v);
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (*s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	return *end == '\0' ? n : -1;
}

/* The outcome and hint of NameSilo's code (not 300). */
static enum outcome
code_outcome(long code, const char **hint)
{
	*hint = NULL;
	switch (code) {
	case 109:	/* no API key specified */
	case 110:	/* invalid API key */
	case 111:	/* invalid user */
	case 120:	/* API key must be passed as a GET */
		*hint = NS_HINT_KEY;
		return OUT_AUTH;
	case 112:	/* API not available to sub-accounts */
		*hint = NS_HINT_SUB;
		return OUT_AUTH;
	case 113:	/* this API account cannot be accessed from your IP */
		*hint = NS_HINT_IP;
		return OUT_AUTH;
	case 114:	/* invalid domain syntax */
		return OUT_CONFIG;
	case 200:	/* domain is not active, or does not belong to user */
		*hint = NS_HINT_DOMAIN;
		return OUT_CONFIG;
	case 280:	/* DNS modification error */
		return OUT_CONFIG;
	case 115:	/* central registry not responding */
	case 201:	/* internal system error */
	case 400:	/* existing API request is still processing */
		return OUT_TEMPFAIL;
	default:	/* 101-108: our request; 210 and the rest */
		return OUT_PROTOCOL;
	}
}

/* Read a reply; see namesilo.h. */
enum outcome
namesilo_reply(long status, const char *body, json_t **replyp, long *codep,
    char **why)
{
	json_t		*root = NULL, *reply;
	json_error_t	 jerr;
	const char	*detail = NULL, *hint;
	char		 buf[NS_MSG_MAX] = "";
	enum outcome	 out;
	long		 code;

	*replyp = NULL;
	*codep = 0;
	*why = NULL;
	if (status < 200 || status >= 300) {
		out = provider_status_outcome(status);
		snprintf(buf, sizeof(buf), "HTTP %ld", status);
		if (body != NULL && (root = json_loads(body, 0, &jerr)) !=
		    NULL && json_unpack(root, "{s:{s:s}}", "reply", "detail",
		    &detail) == 0) {
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), detail);
		}
		json_decref(root);
		*why = xasprintf("%s", buf);
		return out;
	}
	if (body == NULL || body[0] == '\0') {
		*why = xasprintf("HTTP %ld: not a NameSilo reply: empty",
		    status);
		return OUT_PROTOCOL;
	}
	if ((root = json_loads(body, 0, &jerr)) == NULL ||
	    !json_is_object(reply = json_object_get(root, "reply"))) {
		provider_append(buf, sizeof(buf), root == NULL ? jerr.text :
		    "no \"reply\" object");
		json_decref(root);
		*why = xasprintf("HTTP %ld: not a NameSilo reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	if ((code = jlong(json_object_get(reply, "code"))) < 0) {
		json_decref(root);
		*why = xasprintf("HTTP %ld: not a NameSilo reply: no "
		    "reply.code", status);
		return OUT_PROTOCOL;
	}
	*codep = code;
	if (code == 300) {
		*replyp = json_incref(reply);
		json_decref(root);
		return OUT_CURRENT;
	}
	out = code_outcome(code, &hint);
	json_unpack(reply, "{s?:s}", "detail", &detail);
	snprintf(buf, sizeof(buf), "code %ld: ", code);
	provider_append(buf, sizeof(buf), detail != NULL ? detail :
	    "(no detail)");
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Free what an ns_rec holds and zero it; NULL is a no-op. */
void
ns_rec_free(struct ns_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* 1 if id looks like a NameSilo record_id (1-64 letters and digits). */
static int
id_ok(const char *id)
{
	size_t	 i;

	for (i = 0; id[i] != '\0'; i++)
		if (!isalnum((unsigned char)id[i]))
			return 0;
	return i > 0 && i <= 64;
}

/* Find the records of fqdn and type; see namesilo.h. */
int
namesilo_find(json_t *reply, const char *fqdn, const char *type,
    struct ns_rec *first, size_t *count, char **why)
{
	json_t		*list, *one, *r;
	const char	*id, *t, *h, *v;
	size_t		 i, n;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(reply, "resource_record");
	if (list == NULL)
		return 0;		/* a domain without records */
	one = json_is_object(list) ? list : NULL;
	if (one == NULL && !json_is_array(list)) {
		*why = xasprintf("\"resource_record\" is neither a list nor a "
		    "record");
		return -1;
	}
	n = one != NULL ? 1 : json_array_size(list);
	for (i = 0; i < n; i++) {
		r = one != NULL ? one : json_array_get(list, i);
		if (json_unpack(r, "{s:s, s:s, s:s, s:s}", "record_id", &id,
		    "type", &t, "host", &h, "value", &v) == -1 ||
		    !id_ok(id)) {
			*why = xasprintf("record %zu lacks record_id, type, "
			    "host or value", i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(h, fqdn) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = strdup(id)) == NULL ||
		    (first->value = strdup(v)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		first->ttl = jlong(json_object_get(r, "ttl"));
		if (first->ttl < 0)
			first->ttl = 0;
	}
	return 0;
bad:
	ns_rec_free(first);
	*count = 0;
	return -1;
}

/* The record_id of a write's reply; see namesilo.h. */
char *
namesilo_new_id(json_t *reply)
{
	json_t	*v = json_object_get(reply, "record_id");

	if (!json_is_string(v) || !id_ok(json_string_value(v)))
		return NULL;
	return strdup(json_string_value(v));
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, hold on what a person must fix, default the wait
 * after a bare 429; returns out. */
static enum outcome
fail(struct nsp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "namesilo",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = NS_WAIT;
	if (out == OUT_CONFIG || out == OUT_AUTH)
		c->ctx->hold = 1;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
nsp_init(struct nsp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("namesilo: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->key = rec_str(rec, "key");
	if (c->key == NULL || *c->key == '\0' || provider_has_ctl(c->key))
		return fail(c, OUT_CONFIG, xasprintf("key is empty or has a "
		    "control character"), why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    NAMESILO_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	if (strcmp(c->host, "@") == 0)
		c->host[0] = '\0';
	return OUT_CURRENT;
}

/* Free what nsp_init() allocated. */
static void
cleanup(struct nsp *c)
{
	free(c->base);
	free(c->label);
	free(c->zone);
	free(c->host);
}

/*
 * Call op with kv; a cached body (malloc'd, consumed) is read instead
 * when not NULL. OUT_CURRENT with *reply (caller json_decref()s) and
 * *body (malloc'd copy of what was read, when body is not NULL), else an
 * error outcome with *why.
 */
static enum outcome
nsp_call(struct nsp *c, const char *op, const char *const *kv, char *cached,
    json_t **reply, char **body, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	char		*url = NULL, *inner = NULL;
	enum outcome	 out;

	*reply = NULL;
	memset(&resp, 0, sizeof(resp));
	c->status = 200;
	if (cached != NULL) {
		resp.body = cached;
		resp.status = 200;
	} else {
		if ((url = namesilo_url(c->base, op, c->key, kv)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		memset(&req, 0, sizeof(req));
		req.url = url;
		req.insecure = rec_bool(c->rec, "insecure", 0);
		out = provider_send(c->label, &req, &resp, c->ctx, why);
		explicit_bzero(url, strlen(url));
		free(url);
		if (out != OUT_CURRENT)
			return out;
		c->status = resp.status;
	}
	out = namesilo_reply(resp.status, resp.body, reply, &c->code, &inner);
	if (out != OUT_CURRENT)
		out = fail(c, out, xasprintf("%s: %s", op, inner), why);
	else if (body != NULL && (*body = strdup(resp.body)) == NULL) {
		json_decref(*reply);
		*reply = NULL;
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	}
	free(inner);
	if (cached != NULL)
		free(cached);
	else
		http_resp_free(&resp);
	return out;
}

/*
 * Add (id NULL) or update the record id with ttl (0: NameSilo's
 * default). OUT_UPDATED with ctx->new_record_id set, or an error outcome
 * with *why.
 */
static enum outcome
nsp_write(struct nsp *c, const char *id, long ttl, char **why)
{
	const char	*kv[13];
	json_t		*reply = NULL;
	char		 ttlbuf[24];
	char		*nid = NULL;
	enum outcome	 out;
	int		 i = 0;

	kv[i++] = "domain";
	kv[i++] = c->zone;
	if (id != NULL) {
		kv[i++] = "rrid";
		kv[i++] = id;
	} else {
		kv[i++] = "rrtype";
		kv[i++] = c->type;
	}
	kv[i++] = "rrhost";
	kv[i++] = c->host;
	kv[i++] = "rrvalue";
	kv[i++] = c->data;
	if (ttl > 0) {
		snprintf(ttlbuf, sizeof(ttlbuf), "%ld", ttl);
		kv[i++] = "rrttl";
		kv[i++] = ttlbuf;
	}
	kv[i] = NULL;
	log_info("%s: %s %s in %s", c->label, id == NULL ? "adding" :
	    "updating", c->data, c->zone);
	if ((out = nsp_call(c, id == NULL ? "dnsAddRecord" : "dnsUpdateRecord",
	    kv, NULL, &reply, NULL, why)) != OUT_CURRENT)
		return out;
	/* An update may answer without a new id: keep the old one. */
	if ((nid = namesilo_new_id(reply)) == NULL && id != NULL)
		nid = strdup(id);
	json_decref(reply);
	if (nid == NULL)
		return fail(c, OUT_PROTOCOL, xasprintf("no record_id in the "
		    "reply"), why);
	free(c->ctx->new_record_id);
	c->ctx->new_record_id = xasprintf("%s/%s/%ld", c->zone, nid,
	    ttl > 0 ? ttl : NAMESILO_TTL);
	free(nid);
	return c->ctx->new_record_id != NULL ? OUT_UPDATED :
	    fail(c, OUT_TEMPFAIL, NULL, why);
}

/*
 * The one-call update through "<domain>/<id>/<ttl>" from the state:
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when the
 * id is not usable or NameSilo refused it (code 280) and the caller
 * should look the record up.
 */
static int
update_known(struct nsp *c, char **why)
{
	const char	*sid = c->ctx->record_id, *s1, *s2;
	char		*id = NULL, *end;
	long		 ttl;
	enum outcome	 out;
	int		 ret = -1;

	if ((s1 = strchr(sid, '/')) == NULL || (s2 = strchr(s1 + 1, '/')) ==
	    NULL || (size_t)(s1 - sid) != strlen(c->zone) ||
	    strncasecmp(sid, c->zone, s1 - sid) != 0)
		return -1;
	ttl = strtol(s2 + 1, &end, 10);
	if (*end != '\0' || ttl <= 0 ||
	    (id = strndup(s1 + 1, s2 - s1 - 1)) == NULL || !id_ok(id))
		goto out;
	if (c->rec->ttl > 0)
		ttl = c->rec->ttl;
	out = nsp_write(c, id, ttl, why);
	if (out != OUT_UPDATED && c->code == 280) {
		log_info("%s: NameSilo refused record %s; looking it up",
		    c->label, id);
		free(*why);
		*why = NULL;
		c->ctx->hold = 0;
		goto out;
	}
	ret = out;
out:
	free(id);
	return ret;
}

/* Find the record by name and type and add it, update it, or find it
 * current. The outcome, with *why on failure. */
static enum outcome
update_lookup(struct nsp *c, char **why)
{
	const char	*kv[] = { "domain", c->zone, NULL };
	struct ns_rec	 have;
	struct addr	 x, y;
	json_t		*reply = NULL;
	char		*ckey, *cached = NULL, *body = NULL, *inner = NULL;
	size_t		 count;
	long		 ttl;
	enum outcome	 out;
	int		 hit, same;

	memset(&have, 0, sizeof(have));
	if ((ckey = xasprintf("namesilo:%s:%s", c->base, c->zone)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, ckey, &cached)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (hit == 1 && cached != NULL)
		log_info("%s: records of %s from this run's listing", c->label,
		    c->zone);
	if ((out = nsp_call(c, "dnsListRecords", kv, hit == 1 ? cached : NULL,
	    &reply, &body, why)) != OUT_CURRENT)
		goto out;
	if (hit != 1)
		provider_cache_put(c->ctx, ckey, body);
	if (namesilo_find(reply, c->rec->name, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("dnsListRecords: %s",
		    inner), why);
		free(inner);
		goto out;
	}
	if (count == 0) {
		out = nsp_write(c, NULL, c->rec->ttl, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	same = addr_parse(have.value, FAM_MAX, &x) == 0 &&
	    addr_parse(c->data, FAM_MAX, &y) == 0 ? addr_equal(&x, &y) :
	    strcmp(have.value, c->data) == 0;
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl;
	if (same && (c->rec->ttl <= 0 || c->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		c->ctx->new_record_id = xasprintf("%s/%s/%ld", c->zone,
		    have.id, ttl > 0 ? ttl : (long)NAMESILO_TTL);
		out = c->ctx->new_record_id != NULL ? OUT_CURRENT :
		    fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = nsp_write(c, have.id, ttl, why);
out:
	json_decref(reply);
	ns_rec_free(&have);
	free(ckey);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct nsp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = nsp_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct nsp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (nsp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_namesilo = {
	.name = "namesilo",
	.keys = keys,
	.push = push,
	.check = check,
};
