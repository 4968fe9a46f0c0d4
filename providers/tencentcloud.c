/*
 * tencentcloud: Tencent Cloud DNSPod API 3.0 (version 2021-03-23).
 * https://cloud.tencent.com/document/api/1427/56153 (DescribeRecordList),
 * https://cloud.tencent.com/document/api/1427/56180 (CreateRecord),
 * https://cloud.tencent.com/document/api/1427/56157 (ModifyRecord),
 * https://cloud.tencent.com/document/api/1427/56189 (TC3-HMAC-SHA256)
 * (offline: ref/PROVIDERS.md)
 *
 * Quirks handled:
 * - Every call is a POST of a JSON body to "/" with the action in the
 *   X-TC-Action header, signed with TC3-HMAC-SHA256 over content-type and
 *   host. Header values in the canonical form are trimmed and lower-cased;
 *   the Content-Type and Host sent are byte for byte the ones signed (we
 *   send Host ourselves, without a default port). The credential scope's
 *   date is the UTC date of X-TC-Timestamp, which must be within five
 *   minutes of the server's clock (AuthFailure.SignatureExpire).
 * - Errors come with HTTP 200 as {"Response":{"Error":{"Code","Message"},
 *   "RequestId"}}: the code decides the outcome, not the status.
 * - DescribeRecordList answers an empty list with an error unless
 *   ErrorOnEmpty is "no"; we send "no" and also accept the error
 *   (ResourceNotFound.NoDataOfRecord) as "no record".
 * - Sub-domain names are relative to the domain; the apex is "@". The
 *   list filter is checked again here (name, type and line).
 * - The record we manage is the one on the configured line (default
 *   "默认", sent as UTF-8); records of the same name on other lines are
 *   left alone.
 * - RecordId is a number; the state keeps it in decimal, so an address
 *   change is one ModifyRecord. A record deleted by hand answers
 *   ResourceNotFound.NoDataOfRecord (or InvalidParameter.RecordIdInvalid)
 *   and we fall back to the lookup.
 * - ModifyRecord without TTL applies the API's default (600), so on the
 *   lookup path the record's own TTL is sent back unless one is
 *   configured.
 * - A write the API calls a duplicate (InvalidParameter.DomainRecordExist
 *   and the like) means the record already holds the value: current.
 * - RequestLimitExceeded* is throttling: back off a minute.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "providers.h"
#include "tencentcloud.h"

#define TC_ENDPOINT	"https://dnspod.tencentcloudapi.com"
#define TC_SERVICE	"dnspod"
#define TC_VERSION	"2021-03-23"
#define TC_LINE		"\xe9\xbb\x98\xe8\xae\xa4"	/* 默认, "default" */
#define TC_WAIT_LIMIT	60	/* seconds after RequestLimitExceeded */
#define TC_MSG_MAX	400	/* quoted error text, bytes */
#define TC_PERM		" (the CAM user of this SecretId lacks permission: " \
	"grant it the QcloudDNSPodFullAccess policy, or " \
	"dnspod:DescribeRecordList, dnspod:CreateRecord and " \
	"dnspod:ModifyRecord)"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "line",	0 },
	{ "region",	0 },
	{ "secret_id",	KEY_REQUIRED },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct tc {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*sid;
	const char		*skey;
	const char		*region;
	const char		*line;		/* configured line, or NULL */
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*url;		/* endpoint, ending in '/' */
	char			*host;		/* Host header value */
	char			*label;		/* "tencentcloud: name A" */
	char			*domain;
	char			*sub;
	char			*code;		/* last error code, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* s trimmed of blanks and lower-cased, as the canonical headers want;
 * malloc'd or NULL. */
static char *
canon_value(const char *s)
{
	const char	*e;
	char		*out, *p;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((out = strndup(s, e - s)) == NULL)
		return NULL;
	for (p = out; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return out;
}

/* HMAC-SHA256 of the string data with key[klen] into out; 0/-1. */
static int
hmac(const void *key, size_t klen, const char *data, unsigned char out[32])
{
	return crypto_hmac(0, key, klen, data, strlen(data), out) == 32 ?
	    0 : -1;
}

/* Sign; see tencentcloud.h. */
int
tc3_sign(const char *sk, const char *service, const char *host,
    const char *ctype, const char *body, size_t len, time_t ts, char sig[65])
{
	unsigned char	 kdate[32], ksvc[32], ksign[32], s[32];
	char		 date[16], bodyhash[65], crhash[65];
	char		*ct = NULL, *h = NULL, *cr = NULL, *sts = NULL;
	char		*k = NULL;
	int		 rc = -1;

	crypto_utc(ts, "%Y-%m-%d", date, sizeof(date));
	crypto_sha256_hex(body != NULL ? body : "", body != NULL ? len : 0,
	    bodyhash);
	if ((ct = canon_value(ctype)) == NULL ||
	    (h = canon_value(host)) == NULL)
		goto out;
	cr = xasprintf("POST\n/\n\ncontent-type:%s\nhost:%s\n\n"
	    "content-type;host\n%s", ct, h, bodyhash);
	if (cr == NULL)
		goto out;
	crypto_sha256_hex(cr, strlen(cr), crhash);
	if ((sts = xasprintf("TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s",
	    (long long)ts, date, service, crhash)) == NULL ||
	    (k = xasprintf("TC3%s", sk)) == NULL)
		goto out;
	if (hmac(k, strlen(k), date, kdate) == -1 ||
	    hmac(kdate, 32, service, ksvc) == -1 ||
	    hmac(ksvc, 32, "tc3_request", ksign) == -1 ||
	    hmac(ksign, 32, sts, s) == -1)
		goto out;
	crypto_hex(s, 32, sig);
	sig[64] = '\0';
	rc = 0;
out:
	if (k != NULL)
		explicit_bzero(k, strlen(k));
	explicit_bzero(kdate, sizeof(kdate));
	explicit_bzero(ksvc, sizeof(ksvc));
	explicit_bzero(ksign, sizeof(ksign));
	free(k);
	free(ct);
	free(h);
	free(cr);
	free(sts);
	return rc;
}

/* The Authorization header value; see tencentcloud.h. */
char *
tc3_authorization(const char *sid, const char *sk, const char *service,
    const char *host, const char *ctype, const char *body, size_t len,
    time_t ts)
{
	char	 sig[65], date[16];

	if (tc3_sign(sk, service, host, ctype, body, len, ts, sig) == -1)
		return NULL;
	crypto_utc(ts, "%Y-%m-%d", date, sizeof(date));
	return xasprintf("TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, "
	    "SignedHeaders=content-type;host, Signature=%s", sid, date,
	    service, sig);
}

/* 1 if code starts with prefix, else 0. */
static int
prefixed(const char *code, const char *prefix)
{
	return strncmp(code, prefix, strlen(prefix)) == 0;
}

/* 1 if code names the error "the record already holds that": a
 * duplicate, which is success. */
static int
is_duplicate(const char *code)
{
	size_t	 n = strlen(code);

	return (n >= 11 && strcmp(code + n - 11, "RecordExist") == 0) ||
	    (n >= 12 && strcmp(code + n - 12, "RecordExists") == 0);
}

/*
 * The outcome an error code means, with a hint for the user in *hint
 * (static, may be ""), *retry and *hold set.
 */
static enum outcome
code_outcome(const char *code, const char *perm, const char **hint,
    long *retry, int *hold)
{
	*hint = "";
	*retry = 0;
	*hold = 0;
	if (strcmp(code, "AuthFailure.SignatureExpire") == 0) {
		*hint = " (the request time is more than five minutes off "
		    "the server's: check this host's clock)";
		return OUT_AUTH;
	}
	if (strcmp(code, "AuthFailure.UnauthorizedOperation") == 0 ||
	    prefixed(code, "UnauthorizedOperation")) {
		*hint = perm;
		*hold = 1;
		return OUT_AUTH;
	}
	if (prefixed(code, "AuthFailure")) {
		*hint = " (check secret_id and secret_key: an API key of the "
		    "account or of a CAM user, from the console's API key "
		    "page)";
		*hold = 1;
		return OUT_AUTH;
	}
	if (prefixed(code, "RequestLimitExceeded") ||
	    prefixed(code, "LimitExceeded.RequestLimit")) {
		*retry = TC_WAIT_LIMIT;
		return OUT_TEMPFAIL;
	}
	if (strcmp(code, "ResourceNotFound.NoDataOfDomain") == 0 ||
	    strcmp(code, "InvalidParameter.DomainNotExist") == 0 ||
	    strcmp(code, "InvalidParameterValue.DomainNotExists") == 0 ||
	    prefixed(code, "OperationDenied")) {
		*hint = " (is the domain in this account, and is \"zone\" "
		    "right?)";
		*hold = 1;
		return OUT_CONFIG;
	}
	if (prefixed(code, "InvalidParameter") ||
	    prefixed(code, "MissingParameter") ||
	    prefixed(code, "LimitExceeded")) {
		*hold = 1;
		return OUT_CONFIG;
	}
	if (prefixed(code, "InternalError") ||
	    prefixed(code, "ResourceUnavailable") ||
	    prefixed(code, "FailedOperation.Timeout"))
		return OUT_TEMPFAIL;
	return OUT_PROTOCOL;
}

/* Read a DNSPod reply; see tencentcloud.h. */
enum outcome
tc_reply(long status, const char *body, json_t **rootp, json_t **response,
    char **codep, long *retry, int *hold, char **why)
{
	return tc_reply_perm(TC_PERM, status, body, rootp, response, codep,
	    retry, hold, why);
}

/* Read a reply of any TC3 API; see tencentcloud.h. */
enum outcome
tc_reply_perm(const char *perm, long status, const char *body,
    json_t **rootp, json_t **response, char **codep, long *retry, int *hold,
    char **why)
{
	json_t		*root = NULL, *resp = NULL, *err = NULL;
	json_error_t	 jerr;
	const char	*code = NULL, *msg = NULL, *hint;
	char		 buf[TC_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = *response = NULL;
	*codep = NULL;
	*retry = 0;
	*hold = 0;
	*why = NULL;
	if (body != NULL)
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root == NULL || json_unpack_ex(root, &jerr, 0, "{s:o}",
	    "Response", &resp) == -1 || !json_is_object(resp)) {
		if (root != NULL && resp != NULL && !json_is_object(resp))
			snprintf(jerr.text, sizeof(jerr.text),
			    "\"Response\" is not an object");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a Tencent Cloud API "
			    "reply: %s", buf);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no Tencent Cloud error in the "
		    "reply)", status);
		return provider_status_outcome(status);
	}
	err = json_object_get(resp, "Error");
	if (err == NULL && status == 200) {
		*rootp = root;
		*response = resp;
		return OUT_CURRENT;
	}
	if (err == NULL || json_unpack_ex(err, NULL, 0, "{s:s, s?:s}", "Code",
	    &code, "Message", &msg) == -1) {
		json_decref(root);
		*why = xasprintf("HTTP %ld: malformed Error in the reply",
		    status);
		return status == 200 ? OUT_PROTOCOL :
		    provider_status_outcome(status);
	}
	out = code_outcome(code, perm, &hint, retry, hold);
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

/* Free what a tc_rec holds and zero it; NULL is a no-op. */
void
tc_rec_free(struct tc_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

/* Parse a record list; see tencentcloud.h. */
int
tc_parse_list(json_t *response, const char *sub, const char *type,
    const char *line, struct tc_rec *have, size_t *count, char **why)
{
	json_t		*list, *r, *idv, *ttl;
	const char	*name, *t, *value, *l;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	*why = NULL;
	list = json_object_get(response, "RecordList");
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("RecordList is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		ttl = NULL;
		l = NULL;
		if (json_unpack_ex(r, NULL, 0, "{s:o, s:s, s:s, s:s, s?:s, "
		    "s?:o}", "RecordId", &idv, "Name", &name, "Type", &t,
		    "Value", &value, "Line", &l, "TTL", &ttl) == -1) {
			*why = xasprintf("record %zu lacks RecordId, Name, "
			    "Type or Value", i);
			goto bad;
		}
		if (strcasecmp(name, sub) != 0 || strcmp(t, type) != 0 ||
		    (line != NULL && (l == NULL || strcmp(l, line) != 0)))
			continue;
		if ((*count)++ > 0)
			continue;
		if ((have->id = provider_json_id(idv)) == NULL) {
			*why = xasprintf("record %zu has no usable RecordId",
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
	tc_rec_free(have);
	*count = 0;
	return -1;
}

/* The RecordId of a write; see tencentcloud.h. */
char *
tc_parse_id(json_t *response, char **why)
{
	char	*id;

	*why = NULL;
	if ((id = provider_json_id(json_object_get(response, "RecordId"))) == NULL)
		*why = xasprintf("no usable RecordId in the reply");
	return id;
}

/* The DescribeRecordList body; see tencentcloud.h. */
char *
tc_body_list(const char *domain, const char *sub, const char *type)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s, s:s, s:s, s:s}", "Domain", domain, "Subdomain",
	    sub, "RecordType", type, "ErrorOnEmpty", "no");
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* A CreateRecord or ModifyRecord body; see tencentcloud.h. */
char *
tc_body_write(const char *domain, const char *sub, const char *type,
    const char *line, const char *value, long ttl, const char *record_id)
{
	json_t			*o;
	char			*s = NULL, *end;
	unsigned long long	 id = 0;
	int			 bad = 0;

	if (record_id != NULL) {
		errno = 0;
		id = strtoull(record_id, &end, 10);
		if (errno != 0 || *end != '\0' || end == record_id ||
		    !isdigit((unsigned char)*record_id))
			return NULL;
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Domain", domain,
	    "SubDomain", sub, "RecordType", type, "RecordLine", line,
	    "Value", value);
	if (o == NULL)
		return NULL;
	if (ttl > 0)
		bad |= json_object_set_new(o, "TTL", json_integer(ttl));
	if (record_id != NULL)
		bad |= json_object_set_new(o, "RecordId",
		    json_integer((json_int_t)id));
	if (!bad)
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL means out of memory)
 * prefixed with the record; returns out. */
static enum outcome
fail(struct tc *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "tencentcloud", inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* Split an endpoint URL; see tencentcloud.h. */
int
tc_endpoint(const char *url, char **hostp, char **urlp)
{
	const char	*a, *e, *colon;
	char		*p;
	int		 https;
	size_t		 n;

	*hostp = *urlp = NULL;
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
	if ((*hostp = strndup(a, n)) == NULL ||
	    (*urlp = xasprintf("%.*s/", (int)(e - url), url)) == NULL) {
		free(*hostp);
		*hostp = NULL;
		return -1;
	}
	/* Sent as signed: the canonical form lower-cases it. */
	for (p = *hostp; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return 0;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
tc_init(struct tc *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	c->sid = rec_str(rec, "secret_id");
	c->skey = rec_str(rec, "secret_key");
	c->region = rec_str(rec, "region");
	c->line = rec_str(rec, "line");
	if ((c->label = xasprintf("tencentcloud: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (c->sid == NULL || c->skey == NULL || *c->sid == '\0' ||
	    *c->skey == '\0' || provider_has_ctl(c->sid) || provider_has_ctl(c->skey) ||
	    strchr(c->sid, '/') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("secret_id and secret_key "
		    "must be set, without control characters"), why);
	if (c->region != NULL && (*c->region == '\0' || provider_has_ctl(c->region)))
		return fail(c, OUT_CONFIG, xasprintf("region is empty or has "
		    "a control character"), why);
	if (c->line != NULL && (*c->line == '\0' || provider_has_ctl(c->line)))
		return fail(c, OUT_CONFIG, xasprintf("line is empty or has "
		    "a control character"), why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = TC_ENDPOINT;
	if (tc_endpoint(ep, &c->host, &c->url) == -1)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "http(s)://host[:port][/]", ep), why);
	if (provider_split_name(rec->name, rec->zone, &c->domain, &c->sub,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	return OUT_CURRENT;
}

/* Free what tc_init() allocated. */
static void
cleanup(struct tc *c)
{
	free(c->url);
	free(c->host);
	free(c->label);
	free(c->domain);
	free(c->sub);
	free(c->code);
}

/* Sign and send one action; see tencentcloud.h. */
enum outcome
tc_api_call(const struct tc_api *api, struct push_ctx *ctx,
    const char *action, const char *body, json_t **root, json_t **response,
    char **code, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[9];
	char		*auth = NULL, *hhost = NULL, *hact = NULL;
	char		*hver = NULL, *hts = NULL, *hreg = NULL, *hauth = NULL;
	char		*inner = NULL;
	time_t		 now = time(NULL);
	long		 retry = 0;
	int		 n = 0, hold = 0;
	enum outcome	 out;

	*root = *response = NULL;
	*code = NULL;
	*why = NULL;
	if ((auth = tc3_authorization(api->secret_id, api->secret_key,
	    api->service, api->host, TC_CTYPE, body, strlen(body), now)) ==
	    NULL || (hauth = xasprintf("Authorization: %s", auth)) == NULL ||
	    (hhost = xasprintf("Host: %s", api->host)) == NULL ||
	    (hact = xasprintf("X-TC-Action: %s", action)) == NULL ||
	    (hver = xasprintf("X-TC-Version: %s", api->version)) == NULL ||
	    (hts = xasprintf("X-TC-Timestamp: %lld", (long long)now)) ==
	    NULL || (api->region != NULL && (hreg = xasprintf("X-TC-Region: "
	    "%s", api->region)) == NULL)) {
		out = OUT_TEMPFAIL;
		*why = xasprintf("%s: out of memory", action);
		goto out;
	}
	hdrs[n++] = hauth;
	hdrs[n++] = "Content-Type: " TC_CTYPE;
	hdrs[n++] = hhost;
	hdrs[n++] = hact;
	hdrs[n++] = hver;
	hdrs[n++] = hts;
	if (hreg != NULL)
		hdrs[n++] = hreg;
	hdrs[n] = NULL;

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = api->url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = api->insecure;
	memset(&resp, 0, sizeof(resp));
	log_info("%s: %s %s", api->label, action, body);
	if ((out = provider_send(action, &req, &resp, ctx, &inner)) !=
	    OUT_CURRENT) {
		*why = inner;
		inner = NULL;
		goto out;
	}
	out = tc_reply_perm(api->perm, resp.status, resp.body, root,
	    response, code, &retry, &hold, &inner);
	if (out != OUT_CURRENT) {
		if (out == OUT_TEMPFAIL && retry > ctx->retry_after)
			ctx->retry_after = retry;
		if (resp.status == 429 && ctx->retry_after <= 0)
			ctx->retry_after = TC_WAIT_LIMIT;
		ctx->hold = hold;
		*why = xasprintf("%s: %s", action, inner);
	}
	http_resp_free(&resp);
out:
	free(inner);
	free(auth);
	free(hauth);
	free(hhost);
	free(hact);
	free(hver);
	free(hts);
	free(hreg);
	return out;
}

/*
 * Sign and send one action with body (consumed). OUT_CURRENT with *root
 * (caller json_decref()s) and *response borrowed from it; else an error
 * outcome with *why, c->code the vendor's code if any, and the context's
 * back-off and hold set.
 */
static enum outcome
tc_call(struct tc *c, const char *action, char *body, json_t **root,
    json_t **response, char **why)
{
	struct tc_api	 api;
	char		*inner = NULL;
	enum outcome	 out;

	*root = *response = NULL;
	free(c->code);
	c->code = NULL;
	if (body == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	memset(&api, 0, sizeof(api));
	api.label = c->label;
	api.url = c->url;
	api.host = c->host;
	api.service = TC_SERVICE;
	api.version = TC_VERSION;
	api.region = c->region;
	api.secret_id = c->sid;
	api.secret_key = c->skey;
	api.perm = TC_PERM;
	api.insecure = rec_bool(c->rec, "insecure", 0);
	out = tc_api_call(&api, c->ctx, action, body, root, response,
	    &c->code, &inner);
	free(body);
	if (out != OUT_CURRENT)
		return fail(c, out, inner, why);
	free(inner);
	return out;
}

/* 1 if the last error says the record already holds the value. */
static int
last_duplicate(const struct tc *c)
{
	return c->code != NULL && is_duplicate(c->code);
}

/* 1 if the last error says the record id is unknown (deleted by hand). */
static int
last_gone(const struct tc *c)
{
	return c->code != NULL &&
	    (strcmp(c->code, "ResourceNotFound.NoDataOfRecord") == 0 ||
	    strcmp(c->code, "InvalidParameter.RecordIdInvalid") == 0);
}

/*
 * CreateRecord (id NULL) or ModifyRecord id with ttl (0: leave out).
 * OUT_UPDATED with the context's new id set; OUT_CURRENT for a
 * duplicate; else an error outcome with *why.
 */
static enum outcome
tc_write(struct tc *c, const char *id, const char *line, long ttl,
    char **why)
{
	json_t		*root, *resp;
	char		*nid, *inner = NULL, *body;
	enum outcome	 out;

	body = tc_body_write(c->domain, c->sub, c->type, line, c->value, ttl,
	    id);
	if (body == NULL)
		return fail(c, id != NULL ? OUT_CONFIG : OUT_TEMPFAIL, id !=
		    NULL ? xasprintf("record id \"%s\" is not a number", id) :
		    NULL, why);
	out = tc_call(c, id != NULL ? "ModifyRecord" : "CreateRecord", body,
	    &root, &resp, why);
	if (out != OUT_CURRENT) {
		if (last_duplicate(c)) {
			log_info("%s: %s", c->label, *why);
			free(*why);
			*why = NULL;
			c->ctx->hold = 0;
			return OUT_CURRENT;
		}
		return out;
	}
	if ((nid = tc_parse_id(resp, &inner)) == NULL && id != NULL)
		nid = strdup(id);	/* ModifyRecord may echo nothing */
	json_decref(root);
	if (nid == NULL)
		return fail(c, OUT_PROTOCOL, inner, why);
	free(inner);
	free(c->ctx->new_record_id);
	c->ctx->new_record_id = nid;
	return OUT_UPDATED;
}

/* Look the record up and create, modify, or find it current. */
static enum outcome
update_lookup(struct tc *c, char **why)
{
	json_t		*root = NULL, *resp = NULL;
	struct tc_rec	 have;
	const char	*line;
	char		*inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	line = c->line != NULL ? c->line : TC_LINE;
	out = tc_call(c, "DescribeRecordList", tc_body_list(c->domain, c->sub,
	    c->type), &root, &resp, why);
	if (out != OUT_CURRENT) {
		if (c->code == NULL ||
		    strcmp(c->code, "ResourceNotFound.NoDataOfRecord") != 0)
			return out;
		/* The empty-list error, should ErrorOnEmpty be ignored. */
		free(*why);
		*why = NULL;
		c->ctx->hold = 0;
	} else if (tc_parse_list(resp, c->sub, c->type, line, &have, &count,
	    &inner) == -1) {
		json_decref(root);
		return fail(c, OUT_PROTOCOL, inner, why);
	}
	json_decref(root);
	if (count > 1)
		log_warnx("%s: %zu records on line %s; updating %s only",
		    c->label, count, line, have.id);
	if (count == 0)
		return tc_write(c, NULL, line, c->rec->ttl, why);
	if (strcmp(have.value, c->value) == 0 &&
	    (c->rec->ttl <= 0 || c->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->value);
		free(c->ctx->new_record_id);
		c->ctx->new_record_id = have.id;
		have.id = NULL;
		tc_rec_free(&have);
		return OUT_CURRENT;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl;
	out = tc_write(c, have.id, line, ttl, why);
	tc_rec_free(&have);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct tc	 c;
	enum outcome	 out;

	*why = NULL;
	if ((out = tc_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* The state knows the id and the record held another address: one
	 * ModifyRecord. When it should hold addr already (forced, stale),
	 * look and compare: never write an unchanged value blindly. */
	if (ctx->record_id != NULL && ctx->address != NULL &&
	    strcmp(ctx->address, addr->text) != 0) {
		out = tc_write(&c, ctx->record_id, c.line != NULL ? c.line :
		    TC_LINE, rec->ttl, why);
		if (out == OUT_CURRENT || out == OUT_UPDATED || !last_gone(&c))
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
	struct tc	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (tc_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_tencentcloud = {
	.name = "tencentcloud",
	.keys = keys,
	.push = push,
	.check = check,
};
