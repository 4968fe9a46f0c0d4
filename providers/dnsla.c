/*
 * dnsla: DNS.LA's open API v2 at https://api.dns.la.
 * https://www.dns.la/docs/ApiDoc (开发必读: Basic auth, reply shape,
 * codes; recordList, record POST/PUT).
 *
 * Quirks handled:
 * - Authentication is HTTP Basic with APIID:APISecret (我的账户 → API 密钥);
 *   a refusal is HTTP 401. libcurl builds the header; the secret is
 *   registered for redaction and never logged.
 * - Every reply is {"code":200,"msg":"","data":{...}}: code 200 is
 *   success, 400 a bad request (an unknown domain among them), 500 an
 *   internal error, 6xx a business refusal explained only by msg. The
 *   HTTP status is 200 for all of them but 401.
 * - Record types are numbers (A 1, AAAA 28), not names; ids are strings.
 * - GET /api/recordList?domain=&host=&type=&pageIndex=&pageSize= lists a
 *   name's records; POST /api/record {"domain","host","type","data",
 *   "ttl"} creates one and answers data.id; PUT /api/record {"id",...}
 *   updates one. We always list and compare first and never write an
 *   unchanged value, and an update keeps the record's TTL unless "ttl"
 *   is configured (the PUT body replaces the whole record).
 * - The host is relative to the domain, "@" for the apex.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dnsla.h"

#define LA_ENDPOINT	"https://api.dns.la"
#define LA_TTL		600	/* the console's default */
#define LA_MSG_MAX	400
#define LA_HINT_AUTH	"check api_id and api_secret: the APIID and " \
	"APISecret under My Account, API Keys in the DNS.LA console"
#define LA_HINT_ZONE	"is the domain in this DNS.LA account, and is " \
	"\"zone\" right?"

static const struct provider_key keys[] = {
	{ "api_id",	KEY_REQUIRED },
	{ "api_secret",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct la {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*value;
	int			 type;
	char			*userpwd;	/* "APIID:APISecret" */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;
	char			*domain;
	char			*host;
};

/* ---- pure parts --------------------------------------------------------- */

/* The list URL; see dnsla.h. */
char *
dnsla_list_url(const char *base, const char *domain, const char *host,
    int type)
{
	char	*ed, *eh, *u = NULL;

	ed = http_pctenc(domain);
	eh = http_pctenc(host);
	if (ed != NULL && eh != NULL)
		u = xasprintf("%s/api/recordList?domain=%s&host=%s&type=%d&"
		    "pageIndex=1&pageSize=100", base, ed, eh, type);
	free(ed);
	free(eh);
	return u;
}

/* The create/update body; see dnsla.h. */
char *
dnsla_body(const char *id, const char *domain, const char *host, int type,
    const char *data, long ttl)
{
	json_t	*o;
	char	*s;

	if ((o = json_object()) == NULL)
		return NULL;
	if (id != NULL)
		json_object_set_new(o, "id", json_string(id));
	else
		json_object_set_new(o, "domain", json_string(domain));
	json_object_set_new(o, "host", json_string(host));
	json_object_set_new(o, "type", json_integer(type));
	json_object_set_new(o, "data", json_string(data));
	if (ttl > 0)
		json_object_set_new(o, "ttl", json_integer(ttl));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The text of a string or integer JSON value, malloc'd; NULL if neither. */
static char *
scalar(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return NULL;
}

/* Read a reply; see dnsla.h. */
enum outcome
dnsla_reply(long status, const char *body, json_t **rootp, int *hold,
    char **why)
{
	json_t		*root = NULL, *jc;
	json_error_t	 jerr;
	const char	*msg = NULL, *hint = NULL;
	char		 buf[LA_MSG_MAX] = "";
	long		 code;
	enum outcome	 out;

	*rootp = NULL;
	*hold = 0;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	jc = json_object_get(root, "code");
	if (root == NULL || !json_is_integer(jc)) {
		if (root != NULL)
			snprintf(jerr.text, sizeof(jerr.text), "no \"code\"");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 401) {
			*hold = 1;
			*why = xasprintf("HTTP 401 (%s)", LA_HINT_AUTH);
			return OUT_AUTH;
		}
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a DNS.LA API reply: %s",
			    buf);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (not a DNS.LA API reply)", status);
		return provider_status_outcome(status);
	}
	code = (long)json_integer_value(jc);
	if (code == 200 && status == 200) {
		*rootp = root;
		return OUT_CURRENT;
	}
	json_unpack(root, "{s:s}", "msg", &msg);
	snprintf(buf, sizeof(buf), "code %ld", code);
	if (msg != NULL && msg[0] != '\0') {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	}
	if (code == 200) {
		out = provider_status_outcome(status);
		snprintf(buf, sizeof(buf), "HTTP %ld with code 200", status);
	} else if (status == 401 || code == 401 || code == 403) {
		out = OUT_AUTH;
		*hold = 1;
		hint = LA_HINT_AUTH;
	} else if (status == 429 || code == 429 || status >= 500 ||
	    (code >= 500 && code < 600)) {
		out = OUT_TEMPFAIL;
	} else if (code == 400 || (code >= 600 && code < 700)) {
		out = OUT_CONFIG;
		*hold = 1;
		hint = LA_HINT_ZONE;
	} else
		out = OUT_PROTOCOL;
	if (hint != NULL)
		*why = xasprintf("%s (%s)", buf, hint);
	else
		*why = xasprintf("%s", buf);
	json_decref(root);
	return out;
}

/* Free what a dnsla_rec holds and zero it; NULL is a no-op. */
void
dnsla_rec_free(struct dnsla_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* 1 if the API's host h names the same owner as want ("@" or ""). */
static int
host_is(const char *h, const char *want)
{
	if (strcmp(want, "@") == 0)
		return h[0] == '\0' || strcmp(h, "@") == 0;
	return strcasecmp(h, want) == 0;
}

/* Parse a record list; see dnsla.h. */
int
dnsla_parse_list(json_t *root, const char *host, int type,
    struct dnsla_rec *have, size_t *count, char **why)
{
	json_t		*data, *list, *r;
	json_int_t	 t, ttl;
	const char	*h, *d;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	*why = NULL;
	data = json_object_get(root, "data");
	list = json_object_get(data, "results");
	if (data == NULL || json_is_null(data) || list == NULL ||
	    json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("data.results is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		ttl = 0;
		if (json_unpack_ex(r, NULL, 0, "{s:s, s:I, s:s, s?:I}",
		    "host", &h, "type", &t, "data", &d, "ttl", &ttl) == -1) {
			*why = xasprintf("record %zu lacks host, type or data",
			    i);
			goto bad;
		}
		if (t != type || !host_is(h, host))
			continue;
		if ((*count)++ > 0)
			continue;
		if ((have->id = scalar(json_object_get(r, "id"))) == NULL ||
		    have->id[0] == '\0') {
			*why = xasprintf("record %zu has no id", i);
			goto bad;
		}
		if ((have->data = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		have->ttl = (long)ttl;
	}
	return 0;
bad:
	dnsla_rec_free(have);
	*count = 0;
	return -1;
}

/* The id of a created record; see dnsla.h. */
char *
dnsla_parse_id(json_t *root, char **why)
{
	char	*id;

	*why = NULL;
	id = scalar(json_object_get(json_object_get(root, "data"), "id"));
	if (id == NULL || id[0] == '\0') {
		free(id);
		*why = xasprintf("no record id (data.id) in the reply");
		return NULL;
	}
	return id;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; returns out. */
static enum outcome
fail(struct la *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "dnsla",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
la_init(struct la *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*id, *secret;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = addr->fam == FAM_V6 ? DNSLA_TYPE_AAAA : DNSLA_TYPE_A;
	c->value = addr->text;
	if ((c->label = xasprintf("dnsla: %s %s", rec->name,
	    fam_rrtype(addr->fam))) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	id = rec_str(rec, "api_id");
	secret = rec_str(rec, "api_secret");
	if (id == NULL || *id == '\0' || strchr(id, ':') != NULL ||
	    provider_has_ctl(id))
		return fail(c, OUT_CONFIG, xasprintf("api_id must be the "
		    "APIID from the DNS.LA console (no ':')"), why);
	if (secret == NULL || *secret == '\0' || provider_has_ctl(secret))
		return fail(c, OUT_CONFIG, xasprintf("api_secret is empty or "
		    "has a control character"), why);
	if ((c->userpwd = xasprintf("%s:%s", id, secret)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    LA_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->domain, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	return OUT_CURRENT;
}

/* Free what la_init() allocated. */
static void
cleanup(struct la *c)
{
	if (c->userpwd != NULL)
		explicit_bzero(c->userpwd, strlen(c->userpwd));
	free(c->userpwd);
	free(c->base);
	free(c->label);
	free(c->domain);
	free(c->host);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s); else an error outcome with *why and the
 * context's hold set.
 */
static enum outcome
la_call(struct la *c, const char *method, const char *url, const char *body,
    json_t **root, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[3];
	char		*inner = NULL;
	int		 hold = 0;
	enum outcome	 out;

	*root = NULL;
	hdrs[0] = "Accept: application/json";
	hdrs[1] = body != NULL ? "Content-Type: application/json; "
	    "charset=utf-8" : NULL;
	hdrs[2] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.userpwd = c->userpwd;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	log_info("%s: %s %s", c->label, method, url);
	if ((out = provider_send(c->label, &req, &resp, c->ctx, why)) !=
	    OUT_CURRENT)
		return out;
	out = dnsla_reply(resp.status, resp.body, root, &hold, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		c->ctx->hold = hold;
		out = fail(c, out, xasprintf("%s /api/%s: %s", method,
		    body != NULL ? "record" : "recordList", inner), why);
	}
	free(inner);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct la		 c;
	struct dnsla_rec	 have;
	json_t			*root = NULL;
	char			*url = NULL, *body = NULL, *inner = NULL;
	char			*id = NULL;
	size_t			 count = 0;
	long			 ttl;
	enum outcome		 out;

	*why = NULL;
	memset(&have, 0, sizeof(have));
	if ((out = la_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;

	if ((url = dnsla_list_url(c.base, c.domain, c.host, c.type)) ==
	    NULL) {
		out = fail(&c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = la_call(&c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if (dnsla_parse_list(root, c.host, c.type, &have, &count, &inner) ==
	    -1) {
		out = fail(&c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	json_decref(root);
	root = NULL;
	if (count > 1)
		log_warnx("%s: %zu records of that name; updating %s only",
		    c.label, count, have.id);
	if (count > 0 && strcmp(have.data, c.value) == 0 &&
	    (rec->ttl <= 0 || rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c.label, have.id,
		    c.value);
		free(ctx->new_record_id);
		ctx->new_record_id = have.id;
		have.id = NULL;
		goto out;
	}

	ttl = rec->ttl > 0 ? rec->ttl : count > 0 && have.ttl > 0 ?
	    have.ttl : LA_TTL;
	body = dnsla_body(count > 0 ? have.id : NULL, c.domain, c.host,
	    c.type, c.value, ttl);
	free(url);
	url = xasprintf("%s/api/record", c.base);
	if (body == NULL || url == NULL) {
		out = fail(&c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = la_call(&c, count > 0 ? "PUT" : "POST", url, body, &root,
	    why)) != OUT_CURRENT)
		goto out;
	if (count > 0)
		id = strdup(have.id);
	else if ((id = dnsla_parse_id(root, &inner)) == NULL) {
		out = fail(&c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	free(ctx->new_record_id);
	ctx->new_record_id = id;
	out = OUT_UPDATED;
out:
	json_decref(root);
	dnsla_rec_free(&have);
	free(url);
	free(body);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct la	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (la_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_dnsla = {
	.name = "dnsla",
	.keys = keys,
	.push = push,
	.check = check,
};
