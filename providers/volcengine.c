/*
 * volcengine: Volcengine (火山引擎) TrafficRoute DNS, API version 2018-08-01.
 * https://www.volcengine.com/docs/6758/155086 (API overview),
 * https://www.volcengine.com/docs/6758/155109 (ListRecords),
 * https://www.volcengine.com/docs/6758/155104 (CreateRecord),
 * https://www.volcengine.com/docs/6369/67269 (HMAC-SHA256 signature),
 * https://www.volcengine.com/docs/6369/67270 (its worked example),
 * https://www.volcengine.com/docs/6369/68677 (common error codes)
 *
 * Quirks handled:
 * - One endpoint, open.volcengineapi.com, for every service: the action
 *   and version are in the query string (Action=..&Version=2018-08-01)
 *   and the service ("DNS") and region ("cn-north-1") only in the
 *   signature's credential scope.
 * - The signature is SigV4-shaped but its own: algorithm "HMAC-SHA256",
 *   the key chain starts from the bare SecretAccessKey (no prefix, the
 *   key is used as the text it is, not base64-decoded) and ends with
 *   "request"; X-Date is YYYYMMDD'T'HHMMSS'Z' and X-Content-Sha256 is the
 *   body's hash. We sign content-type, host, x-content-sha256 and x-date;
 *   header values are trimmed but keep their case. The query is signed
 *   in its canonical form (sorted, RFC 3986: "*" is %2A, "~" stays, a
 *   space is %20) and sent exactly so. Host is sent by us, without a
 *   default port, as signed.
 * - ListZones and ListRecords are GETs with query parameters (so record
 *   names like "*" are signed percent-encoded); CreateRecord and
 *   UpdateRecord are POSTs of JSON bodies, sent as UTF-8 (line names may
 *   be Chinese).
 * - Errors come as {"ResponseMetadata":{"Error":{"Code","Message"}}},
 *   usually with a 4xx/5xx status: the code decides the outcome.
 * - ZID is a number, RecordID a string of digits. The state keeps the
 *   RecordID: UpdateRecord needs no ZID, so an address change is one
 *   call. A record deleted by hand makes us look it up again.
 * - ListRecords "Host" matching is fuzzy unless SearchMode=exact; we ask
 *   for exact and check name, type and line again here.
 * - The zone is the record's "zone", else the last two labels of the
 *   name; its ZID comes from ListZones (Key=zone) once per run. Zone and
 *   host are sent in lower case, as the service stores them.
 * - The duplicate-record error of a write means "already holds it".
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "volcengine.h"

#define VOLC_ENDPOINT	"https://open.volcengineapi.com"
#define VOLC_SERVICE	"DNS"
#define VOLC_REGION	"cn-north-1"
#define VOLC_VERSION	"2018-08-01"
#define VOLC_LINE	"default"
#define VOLC_WAIT_LIMIT	60	/* seconds after a flow-limit refusal */
#define VOLC_MSG_MAX	400	/* quoted error text, bytes */

static const struct provider_key keys[] = {
	{ "access_key",	KEY_REQUIRED },
	{ "endpoint",	0 },
	{ "line",	0 },
	{ "region",	0 },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct volc {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*ak;
	const char		*sk;
	const char		*region;
	const char		*line;		/* configured, or VOLC_LINE */
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*base;		/* endpoint, ending in '/' */
	char			*host;		/* Host header value */
	char			*label;		/* "volcengine: name A" */
	char			*zone;
	char			*sub;		/* Host: relative name or "@" */
	char			*code;		/* last error code, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* s without leading and trailing blanks; malloc'd or NULL. */
static char *
trimmed(const char *s)
{
	const char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return strndup(s, e - s);
}

/* HMAC-SHA256 of the string data with key[klen] into out; 0/-1. */
static int
hmac(const void *key, size_t klen, const char *data, unsigned char out[32])
{
	return crypto_hmac(0, key, klen, data, strlen(data), out) == 32 ?
	    0 : -1;
}

/* Sign; see volcengine.h. */
int
volc_sign(const char *sk, const char *region, const char *service,
    const char *method, const char *host, const char *query,
    const char *ctype, const char *body, size_t len, time_t ts, char sig[65])
{
	unsigned char	 kd[32], kr[32], ks[32], kk[32], s[32];
	char		 date[16], xdate[24], bodyhash[65], crhash[65];
	char		*ct = NULL, *h = NULL, *cr = NULL, *sts = NULL;
	int		 rc = -1;

	crypto_utc(ts, "%Y%m%d", date, sizeof(date));
	crypto_utc(ts, "%Y%m%dT%H%M%SZ", xdate, sizeof(xdate));
	crypto_sha256_hex(body != NULL ? body : "", body != NULL ? len : 0,
	    bodyhash);
	if ((ct = trimmed(ctype)) == NULL || (h = trimmed(host)) == NULL)
		goto out;
	cr = xasprintf("%s\n/\n%s\ncontent-type:%s\nhost:%s\n"
	    "x-content-sha256:%s\nx-date:%s\n\n"
	    "content-type;host;x-content-sha256;x-date\n%s", method,
	    query != NULL ? query : "", ct, h, bodyhash, xdate, bodyhash);
	if (cr == NULL)
		goto out;
	crypto_sha256_hex(cr, strlen(cr), crhash);
	if ((sts = xasprintf("HMAC-SHA256\n%s\n%s/%s/%s/request\n%s", xdate,
	    date, region, service, crhash)) == NULL)
		goto out;
	if (hmac(sk, strlen(sk), date, kd) == -1 ||
	    hmac(kd, 32, region, kr) == -1 ||
	    hmac(kr, 32, service, ks) == -1 ||
	    hmac(ks, 32, "request", kk) == -1 ||
	    hmac(kk, 32, sts, s) == -1)
		goto out;
	crypto_hex(s, 32, sig);
	sig[64] = '\0';
	rc = 0;
out:
	explicit_bzero(kd, sizeof(kd));
	explicit_bzero(kr, sizeof(kr));
	explicit_bzero(ks, sizeof(ks));
	explicit_bzero(kk, sizeof(kk));
	free(ct);
	free(h);
	free(cr);
	free(sts);
	return rc;
}

/* The Authorization header value; see volcengine.h. */
char *
volc_authorization(const char *ak, const char *sk, const char *region,
    const char *service, const char *method, const char *host,
    const char *query, const char *ctype, const char *body, size_t len,
    time_t ts)
{
	char	 sig[65], date[16];

	if (volc_sign(sk, region, service, method, host, query, ctype, body,
	    len, ts, sig) == -1)
		return NULL;
	crypto_utc(ts, "%Y%m%d", date, sizeof(date));
	return xasprintf("HMAC-SHA256 Credential=%s/%s/%s/%s/request, "
	    "SignedHeaders=content-type;host;x-content-sha256;x-date, "
	    "Signature=%s", ak, date, region, service, sig);
}

/* 1 if code contains part, else 0. */
static int
has(const char *code, const char *part)
{
	return strstr(code, part) != NULL;
}

/* 1 if code says "that record already exists": a duplicate. */
static int
is_duplicate(const char *code)
{
	return has(code, "Duplicate") || has(code, "RecordExist");
}

/* 1 if code says the record (id) is unknown: deleted by hand. */
static int
is_gone(const char *code)
{
	return strcmp(code, "ErrDBNotFound") == 0 ||
	    has(code, "RecordNotFound") || has(code, "RecordNotExist");
}

/*
 * The outcome an error code with HTTP status means, with a hint for the
 * user in *hint (static, may be ""), *retry and *hold set.
 */
static enum outcome
code_outcome(const char *code, long status, const char **hint, long *retry,
    int *hold)
{
	*hint = "";
	*retry = 0;
	*hold = 0;
	if (strcmp(code, "InvalidTimestamp") == 0) {
		*hint = " (the request time is too far off the server's: "
		    "check this host's clock)";
		return OUT_AUTH;
	}
	if (strcmp(code, "SignatureDoesNotMatch") == 0 ||
	    strcmp(code, "InvalidAccessKey") == 0 ||
	    strcmp(code, "InvalidAuthorization") == 0 ||
	    strcmp(code, "InvalidCredential") == 0 ||
	    strcmp(code, "MissingSignature") == 0 ||
	    strcmp(code, "MissingAuthenticationToken") == 0 ||
	    strcmp(code, "InvalidSecretToken") == 0) {
		*hint = " (check access_key and secret_key: an AccessKey of "
		    "the account or of an IAM user, from the console's "
		    "API access key page, without extra spaces)";
		*hold = 1;
		return OUT_AUTH;
	}
	if (has(code, "AccessDenied") || strcmp(code, "LackProjectPolicy") ==
	    0 || has(code, "Unauthorized") || has(code, "Forbidden")) {
		*hint = " (the IAM user of this AccessKey lacks permission: "
		    "grant it the DNSFullAccess system policy, or "
		    "dns:ListZones, dns:ListRecords, dns:CreateRecord and "
		    "dns:UpdateRecord)";
		*hold = 1;
		return OUT_AUTH;
	}
	if (has(code, "FlowLimit") || has(code, "Throttl") ||
	    has(code, "TooManyRequests") || has(code, "RequestLimit") ||
	    status == 429) {
		*retry = VOLC_WAIT_LIMIT;
		return OUT_TEMPFAIL;
	}
	if (has(code, "ZoneNotFound") || has(code, "ZoneNotExist") ||
	    has(code, "DomainNotFound")) {
		*hint = " (is the domain in this account, and is \"zone\" "
		    "right?)";
		*hold = 1;
		return OUT_CONFIG;
	}
	if (has(code, "Internal") || has(code, "ServiceUnavailable") ||
	    has(code, "Timeout") || status >= 500)
		return OUT_TEMPFAIL;
	if (has(code, "Param") || has(code, "Invalid") ||
	    has(code, "Missing") || has(code, "NotFound") ||
	    has(code, "Quota") || has(code, "Duplicate") ||
	    has(code, "Spec") || has(code, "HostCanNotBeEmpty")) {
		*hold = 1;
		return OUT_CONFIG;
	}
	return OUT_PROTOCOL;
}

/* Read a reply; see volcengine.h. */
enum outcome
volc_reply(long status, const char *body, json_t **rootp, json_t **result,
    char **codep, long *retry, int *hold, char **why)
{
	json_t		*root = NULL, *meta = NULL, *err;
	json_error_t	 jerr;
	const char	*code = NULL, *msg = NULL, *hint;
	char		 buf[VOLC_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = *result = NULL;
	*codep = NULL;
	*retry = 0;
	*hold = 0;
	*why = NULL;
	if (body != NULL)
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root == NULL || json_unpack_ex(root, &jerr, 0, "{s:o}",
	    "ResponseMetadata", &meta) == -1 || !json_is_object(meta)) {
		if (root != NULL && meta != NULL && !json_is_object(meta))
			snprintf(jerr.text, sizeof(jerr.text),
			    "\"ResponseMetadata\" is not an object");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a Volcengine API "
			    "reply: %s", buf);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no Volcengine error in the "
		    "reply)", status);
		out = provider_status_outcome(status);
		if (status == 429)
			*retry = VOLC_WAIT_LIMIT;
		return out;
	}
	err = json_object_get(meta, "Error");
	if (err != NULL && json_is_null(err))
		err = NULL;
	if (err == NULL && status == 200) {
		*rootp = root;
		*result = json_object_get(root, "Result");
		if (*result != NULL && !json_is_object(*result))
			*result = NULL;
		return OUT_CURRENT;
	}
	if (err == NULL || json_unpack_ex(err, NULL, 0, "{s:s, s?:s}", "Code",
	    &code, "Message", &msg) == -1 || *code == '\0') {
		json_decref(root);
		*why = xasprintf("HTTP %ld: malformed Error in the reply",
		    status);
		return status == 200 ? OUT_PROTOCOL :
		    provider_status_outcome(status);
	}
	out = code_outcome(code, status, &hint, retry, hold);
	provider_append(buf, sizeof(buf), code);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	}
	*why = xasprintf("%s%s", buf, hint);
	*codep = strdup(code);
	json_decref(root);
	return out;
}

/* Free what a volc_rec holds and zero it; NULL is a no-op. */
void
volc_rec_free(struct volc_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

/* Find a zone's ZID; see volcengine.h. */
int
volc_parse_zones(json_t *result, const char *zone, char **zid, char **why)
{
	json_t		*list, *z, *idv;
	const char	*name;
	size_t		 i;

	*zid = NULL;
	*why = NULL;
	list = result != NULL ? json_object_get(result, "Zones") : NULL;
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("Zones is not an array");
		return -1;
	}
	json_array_foreach(list, i, z) {
		if (json_unpack_ex(z, NULL, 0, "{s:o, s:s}", "ZID", &idv,
		    "ZoneName", &name) == -1) {
			*why = xasprintf("zone %zu lacks ZID or ZoneName", i);
			return -1;
		}
		if (strcasecmp(name, zone) != 0)
			continue;
		if ((*zid = provider_json_id(idv)) == NULL) {
			*why = xasprintf("zone %s has no usable ZID", zone);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* Parse a record list; see volcengine.h. */
int
volc_parse_list(json_t *result, const char *host, const char *type,
    const char *line, struct volc_rec *have, size_t *count, char **why)
{
	json_t		*list, *r, *idv, *ttl;
	const char	*h, *t, *value, *l;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	*why = NULL;
	list = result != NULL ? json_object_get(result, "Records") : NULL;
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("Records is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		ttl = NULL;
		l = NULL;
		if (json_unpack_ex(r, NULL, 0, "{s:o, s:s, s:s, s:s, s?:s, "
		    "s?:o}", "RecordID", &idv, "Host", &h, "Type", &t,
		    "Value", &value, "Line", &l, "TTL", &ttl) == -1) {
			*why = xasprintf("record %zu lacks RecordID, Host, "
			    "Type or Value", i);
			goto bad;
		}
		if (strcasecmp(h, host) != 0 || strcmp(t, type) != 0 ||
		    strcasecmp(l != NULL ? l : VOLC_LINE, line) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((have->id = provider_json_id(idv)) == NULL) {
			*why = xasprintf("record %zu has no usable RecordID",
			    i);
			goto bad;
		}
		if ((have->value = strdup(value)) == NULL ||
		    (l != NULL && (have->line = strdup(l)) == NULL)) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		have->ttl = json_is_integer(ttl) ?
		    (long)json_integer_value(ttl) : 0;
	}
	return 0;
bad:
	volc_rec_free(have);
	*count = 0;
	return -1;
}

/* The RecordID of a write; see volcengine.h. */
char *
volc_parse_id(json_t *result, char **why)
{
	char	*id = NULL;

	*why = NULL;
	if (result == NULL ||
	    (id = provider_json_id(json_object_get(result, "RecordID"))) == NULL)
		*why = xasprintf("no usable RecordID in the reply");
	return id;
}

/* A CreateRecord or UpdateRecord body; see volcengine.h. */
char *
volc_body_write(const char *zid, const char *host, const char *type,
    const char *line, const char *value, long ttl, const char *record_id)
{
	json_t			*o;
	char			*s = NULL, *end;
	unsigned long long	 z = 0;
	int			 bad = 0;

	if (record_id == NULL) {
		errno = 0;
		z = strtoull(zid, &end, 10);
		if (errno != 0 || *end != '\0' || end == zid ||
		    !isdigit((unsigned char)*zid))
			return NULL;
		o = json_pack("{s:I}", "ZID", (json_int_t)z);
	} else
		o = json_pack("{s:s}", "RecordID", record_id);
	if (o == NULL)
		return NULL;
	bad |= json_object_set_new(o, "Host", json_string(host));
	bad |= json_object_set_new(o, "Type", json_string(type));
	bad |= json_object_set_new(o, "Value", json_string(value));
	bad |= json_object_set_new(o, "Line", json_string(line));
	if (ttl > 0)
		bad |= json_object_set_new(o, "TTL", json_integer(ttl));
	if (!bad)
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL means out of memory)
 * prefixed with the record; returns out. */
static enum outcome
fail(struct volc *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "volcengine", inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/*
 * The Host header for url (authority without userinfo or a default port,
 * lower case) and url with a path of "/"; both malloc'd into c. 0, or -1
 * when url is not http(s)://host[:port][/].
 */
static int
parse_endpoint(struct volc *c, const char *url)
{
	const char	*a, *e, *colon;
	char		*p;
	int		 https;
	size_t		 n;

	if (strncasecmp(url, "https://", 8) == 0)
		https = 1;
	else if (strncasecmp(url, "http://", 7) == 0)
		https = 0;
	else
		return -1;
	a = url + (https ? 8 : 7);
	e = a + strcspn(a, "/?#");
	if (e == a || memchr(a, '@', e - a) != NULL ||
	    (*e != '\0' && strcmp(e, "/") != 0))
		return -1;
	n = e - a;
	colon = a[0] == '[' ? memchr(a, ']', n) : a;
	if (colon == NULL)
		return -1;
	colon = memchr(colon, ':', e - colon);
	if (colon != NULL && ((https && e - colon == 4 &&
	    strncmp(colon, ":443", 4) == 0) || (!https && e - colon == 3 &&
	    strncmp(colon, ":80", 3) == 0)))
		n = colon - a;
	if ((c->host = strndup(a, n)) == NULL ||
	    (c->base = xasprintf("%.*s/", (int)(e - url), url)) == NULL)
		return -1;
	for (p = c->host; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return 0;
}

/* 1 if s is set but empty or has a control character. */
static int
bad_opt(const char *s)
{
	return s != NULL && (*s == '\0' || provider_has_ctl(s));
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
volc_init(struct volc *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep;
	char		*inner = NULL, *p;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	c->ak = rec_str(rec, "access_key");
	c->sk = rec_str(rec, "secret_key");
	c->region = rec_str(rec, "region");
	c->line = rec_str(rec, "line");
	if ((c->label = xasprintf("volcengine: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (c->ak == NULL || c->sk == NULL || *c->ak == '\0' ||
	    *c->sk == '\0' || provider_has_ctl(c->ak) ||
	    provider_has_ctl(c->sk) || strchr(c->ak, '/') != NULL ||
	    strchr(c->ak, ',') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("access_key and "
		    "secret_key must be set, without control characters"),
		    why);
	if (bad_opt(c->region) || (c->region != NULL &&
	    strchr(c->region, '/') != NULL))
		return fail(c, OUT_CONFIG, xasprintf("region is empty or has "
		    "a control character or '/'"), why);
	if (bad_opt(c->line))
		return fail(c, OUT_CONFIG, xasprintf("line is empty or has "
		    "a control character"), why);
	if (c->region == NULL)
		c->region = VOLC_REGION;
	if (c->line == NULL)
		c->line = VOLC_LINE;
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = VOLC_ENDPOINT;
	if (parse_endpoint(c, ep) == -1)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "http(s)://host[:port][/]", ep), why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->sub,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	/* The service keeps names in lower case; so do its exact searches. */
	for (p = c->zone; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	for (p = c->sub; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return OUT_CURRENT;
}

/* Free what volc_init() allocated. */
static void
cleanup(struct volc *c)
{
	free(c->base);
	free(c->host);
	free(c->label);
	free(c->zone);
	free(c->sub);
	free(c->code);
}

/*
 * Sign and send one action: a GET with the extra query parameters kv
 * (NULL-ended name, value list; may be NULL) when body is NULL, else a
 * POST of body (consumed). OUT_CURRENT with *root (caller
 * json_decref()s) and *result borrowed from it (may be NULL); else an
 * error outcome with *why, c->code the vendor's code if any, and the
 * context's back-off and hold set.
 */
static enum outcome
volc_call(struct volc *c, const char *action, const char *const *kv,
    char *body, json_t **root, json_t **result, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[7], *q[24];
	char		*query = NULL, *url = NULL, *auth = NULL;
	char		*hauth = NULL, *hhost = NULL, *hdate = NULL;
	char		*hsha = NULL, *inner = NULL;
	char		 xdate[24], bodyhash[65];
	const char	*method = body != NULL ? "POST" : "GET";
	time_t		 now = time(NULL);
	long		 retry = 0;
	size_t		 n = 0, i;
	int		 hold = 0;
	enum outcome	 out;

	*root = *result = NULL;
	free(c->code);
	c->code = NULL;
	q[n++] = "Action";
	q[n++] = action;
	q[n++] = "Version";
	q[n++] = VOLC_VERSION;
	for (i = 0; kv != NULL && kv[i] != NULL && n + 2 < 24; i += 2) {
		q[n++] = kv[i];
		q[n++] = kv[i + 1];
	}
	q[n] = NULL;
	crypto_utc(now, "%Y%m%dT%H%M%SZ", xdate, sizeof(xdate));
	crypto_sha256_hex(body != NULL ? body : "", body != NULL ?
	    strlen(body) : 0, bodyhash);
	if ((query = crypto_canonical_query(q)) == NULL ||
	    (url = xasprintf("%s?%s", c->base, query)) == NULL ||
	    (auth = volc_authorization(c->ak, c->sk, c->region, VOLC_SERVICE,
	    method, c->host, query, VOLC_CTYPE, body, body != NULL ?
	    strlen(body) : 0, now)) == NULL ||
	    (hauth = xasprintf("Authorization: %s", auth)) == NULL ||
	    (hhost = xasprintf("Host: %s", c->host)) == NULL ||
	    (hdate = xasprintf("X-Date: %s", xdate)) == NULL ||
	    (hsha = xasprintf("X-Content-Sha256: %s", bodyhash)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	n = 0;
	hdrs[n++] = hauth;
	hdrs[n++] = "Content-Type: " VOLC_CTYPE;
	hdrs[n++] = hhost;
	hdrs[n++] = hdate;
	hdrs[n++] = hsha;
	hdrs[n] = NULL;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	log_info("%s: %s %s", c->label, action, body != NULL ? body : query);
	if ((out = provider_send(c->label, &req, &resp, c->ctx, why)) !=
	    OUT_CURRENT)
		goto out;
	out = volc_reply(resp.status, resp.body, root, result, &c->code,
	    &retry, &hold, &inner);
	if (out != OUT_CURRENT) {
		if (out == OUT_TEMPFAIL && retry > c->ctx->retry_after)
			c->ctx->retry_after = retry;
		c->ctx->hold = hold;
		out = fail(c, out, xasprintf("%s: %s", action, inner), why);
	}
	http_resp_free(&resp);
out:
	free(inner);
	free(body);
	free(query);
	free(url);
	free(auth);
	free(hauth);
	free(hhost);
	free(hdate);
	free(hsha);
	return out;
}

/*
 * CreateRecord in zone zid (id NULL) or UpdateRecord id, with ttl (0:
 * leave out). OUT_UPDATED with the context's new id set; OUT_CURRENT for
 * a duplicate; else an error outcome with *why.
 */
static enum outcome
volc_write(struct volc *c, const char *zid, const char *id, long ttl,
    char **why)
{
	json_t		*root, *res;
	char		*nid, *inner = NULL, *body;
	enum outcome	 out;

	body = volc_body_write(zid, c->sub, c->type, c->line, c->value, ttl,
	    id);
	if (body == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = volc_call(c, id != NULL ? "UpdateRecord" : "CreateRecord", NULL,
	    body, &root, &res, why);
	if (out != OUT_CURRENT) {
		if (c->code != NULL && is_duplicate(c->code)) {
			log_info("%s: %s", c->label, *why);
			free(*why);
			*why = NULL;
			c->ctx->hold = 0;
			return OUT_CURRENT;
		}
		return out;
	}
	if ((nid = volc_parse_id(res, &inner)) == NULL && id != NULL)
		nid = strdup(id);	/* UpdateRecord may echo nothing */
	json_decref(root);
	if (nid == NULL)
		return fail(c, OUT_PROTOCOL, inner, why);
	free(inner);
	free(c->ctx->new_record_id);
	c->ctx->new_record_id = nid;
	return OUT_UPDATED;
}

/* The cache key for the zone (malloc'd; NULL on ENOMEM). */
static char *
cache_key(struct volc *c)
{
	return xasprintf("volcengine:%s:%s:%s", c->base, c->ak, c->zone);
}

/* The ZID of c->zone (through the run's cache): OUT_CURRENT with *zid
 * malloc'd (caller frees), else an error outcome with *why. */
static enum outcome
zone_lookup(struct volc *c, char **zid, char **why)
{
	json_t		*root, *res;
	const char	*kv[5];
	char		*key, *inner = NULL;
	int		 hit;
	enum outcome	 out;

	*zid = NULL;
	if ((key = cache_key(c)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, zid)) == 0) {
		kv[0] = "Key";
		kv[1] = c->zone;
		kv[2] = "SearchMode";
		kv[3] = "exact";
		kv[4] = NULL;
		out = volc_call(c, "ListZones", kv, NULL, &root, &res, why);
		if (out != OUT_CURRENT) {
			free(key);
			return out;
		}
		if (volc_parse_zones(res, c->zone, zid, &inner) == -1) {
			json_decref(root);
			free(key);
			return fail(c, OUT_PROTOCOL, inner, why);
		}
		json_decref(root);
		log_info("%s: zone %s: %s", c->label, c->zone, *zid != NULL ?
		    *zid : "not on this account");
		provider_cache_put(c->ctx, key, *zid);
	}
	free(key);
	if (hit == -1)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (*zid == NULL) {
		c->ctx->hold = 1;
		return fail(c, OUT_CONFIG, xasprintf("ListZones: no zone "
		    "\"%s\" in this account (is the domain added to "
		    "TrafficRoute DNS, and is \"zone\" right?)", c->zone), why);
	}
	return OUT_CURRENT;
}

/* Look the record up and create, update, or find it current. */
static enum outcome
update_lookup(struct volc *c, char **why)
{
	json_t		*root = NULL, *res = NULL;
	struct volc_rec	 have;
	const char	*kv[11];
	char		*zid = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = zone_lookup(c, &zid, why)) != OUT_CURRENT)
		return out;
	kv[0] = "ZID";
	kv[1] = zid;
	kv[2] = "Host";
	kv[3] = c->sub;
	kv[4] = "Type";
	kv[5] = c->type;
	kv[6] = "SearchMode";
	kv[7] = "exact";
	kv[8] = "PageSize";
	kv[9] = "500";
	kv[10] = NULL;
	out = volc_call(c, "ListRecords", kv, NULL, &root, &res, why);
	if (out != OUT_CURRENT)
		goto out;
	if (volc_parse_list(res, c->sub, c->type, c->line, &have, &count,
	    &inner) == -1) {
		json_decref(root);
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	json_decref(root);
	if (count > 1)
		log_warnx("%s: %zu records on line %s; updating %s only",
		    c->label, count, c->line, have.id);
	if (count == 0) {
		out = volc_write(c, zid, NULL, c->rec->ttl, why);
		goto out;
	}
	if (strcmp(have.value, c->value) == 0 &&
	    (c->rec->ttl <= 0 || c->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->value);
		free(c->ctx->new_record_id);
		c->ctx->new_record_id = have.id;
		have.id = NULL;
		out = OUT_CURRENT;
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl;
	out = volc_write(c, zid, have.id, ttl, why);
out:
	volc_rec_free(&have);
	free(zid);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct volc	 c;
	enum outcome	 out;

	*why = NULL;
	if ((out = volc_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* The state knows the id and the record held another address: one
	 * UpdateRecord. When it should hold addr already (forced, stale),
	 * look and compare: never write an unchanged value blindly. */
	if (ctx->record_id != NULL && ctx->address != NULL &&
	    strcmp(ctx->address, addr->text) != 0) {
		out = volc_write(&c, NULL, ctx->record_id, rec->ttl, why);
		if (out == OUT_CURRENT || out == OUT_UPDATED ||
		    c.code == NULL || !is_gone(c.code))
			goto out;
		log_info("%s: record %s is gone (%s); looking it up", c.label,
		    ctx->record_id, *why);
		free(*why);
		*why = NULL;
		ctx->hold = 0;
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
	struct volc	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (volc_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_volcengine = {
	.name = "volcengine",
	.keys = keys,
	.push = push,
	.check = check,
};
