/*
 * aliyun: Alibaba Cloud DNS (alidns) API 2015-01-09.
 * https://help.aliyun.com/document_detail/29739.html (API overview)
 * https://help.aliyun.com/document_detail/29778.html (DescribeSubDomainRecords)
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism (V1)
 * (offline: ref/PROVIDERS.md)
 *
 * Quirks handled:
 * - alidns is an RPC-style API. As the official SDKs do for RPC APIs
 *   (darabonba-openapi's doRequest / doRPCRequest), every request is a
 *   POST to "/" with all parameters in the query string and an empty
 *   body; libcurl's default form Content-Type is suppressed, since the
 *   SDK sends none without a body and content-type is a signed header
 *   whenever present.
 * - Signature V3 (ACS3-HMAC-SHA256) by default: Action and Version travel
 *   as x-acs-action / x-acs-version headers, the body hash as
 *   x-acs-content-sha256; we send our own Host header so the signed host
 *   is byte for byte the one on the wire (port included for a non-default
 *   endpoint). Signature V1 (RPC HMAC-SHA1, key "signature": "v1") puts
 *   Action, Version and the other common parameters in the query and
 *   appends Signature last.
 * - Canonical forms are RFC 3986 (space %20, '*' %2A, '~' kept, UTF-8
 *   bytes of 默认 and the like percent-encoded, "@" as %40).
 * - A record is addressed as SubDomain (the FQDN) for the lookup and as
 *   RR ("@" for the apex) plus DomainName for a create. The zone is the
 *   "zone" key, else the name's last two labels.
 * - Records of one name and type can exist per line (解析线路): only the
 *   configured line's (default "default") is touched; Line is always sent
 *   on a write so an update cannot move the record to another line.
 * - With the record id in the state and an address that really changed,
 *   UpdateDomainRecord is the one call; a record deleted by hand answers
 *   DomainRecordNotBelongToUser (or InvalidRecordId.*) and we fall back
 *   to the lookup. DomainRecordDuplicate means the value is already there.
 * - Errors are {"RequestId","HostId","Code","Message","Recommend"} with a
 *   4xx/5xx status; codes map to outcomes in one table with a hint each.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "aliyun.h"

#define AL_ENDPOINT	"https://alidns.aliyuncs.com"
#define AL_LINE		"default"
#define AL_WAIT		60	/* seconds after throttling without Retry-After */
#define AL_MSG_MAX	400	/* quoted error text, bytes */
#define AL_PERM		"the RAM user needs the AliyunDNSFullAccess policy, or " \
	"one allowing alidns:DescribeSubDomainRecords, alidns:AddDomainRecord " \
	"and alidns:UpdateDomainRecord"

static const struct provider_key keys[] = {
	{ "access_key_id",	KEY_REQUIRED },
	{ "access_key_secret",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",		0 },
	{ "line",		0 },
	{ "signature",		0 },
	{ NULL,			0 }
};

/* Error codes: exact, or (prefix set) also any "code.<more>". */
static const struct {
	const char	*code;
	int		 prefix;
	enum outcome	 out;
	const char	*hint;
} codes[] = {
	{ "SignatureDoesNotMatch", 0, OUT_AUTH, "access_key_secret is not "
	    "the secret of access_key_id (wrong or mistyped secret?)" },
	{ "IncompleteSignature", 0, OUT_AUTH, "check access_key_id and "
	    "access_key_secret" },
	{ "InvalidAccessKeyId.NotFound", 0, OUT_AUTH, "no such AccessKey ID: "
	    "check access_key_id" },
	{ "InvalidAccessKeyId.Inactive", 0, OUT_AUTH, "this AccessKey is "
	    "disabled: enable it in the RAM console or create another" },
	{ "InvalidAccessKeyId", 1, OUT_AUTH, "check access_key_id" },
	{ "InvalidSecurityToken", 1, OUT_AUTH, "check the AccessKey" },
	{ "Forbidden.RAM", 0, OUT_AUTH, AL_PERM },
	{ "Forbidden", 0, OUT_AUTH, AL_PERM },
	{ "NoPermission", 1, OUT_AUTH, AL_PERM },
	{ "Forbidden.NoPermission", 0, OUT_AUTH, AL_PERM },
	{ "Throttling", 1, OUT_TEMPFAIL, "throttled: the next run retries "
	    "after a pause" },
	{ "ServiceUnavailable", 1, OUT_TEMPFAIL, NULL },
	{ "InternalError", 1, OUT_TEMPFAIL, NULL },
	{ "SignatureNonceUsed", 0, OUT_TEMPFAIL, NULL },
	{ "InvalidDomainName.NoExist", 0, OUT_CONFIG, "the zone is not in "
	    "this Alibaba Cloud account (set \"zone\" if it is not the "
	    "name's last two labels)" },
	{ "IncorrectDomainUser", 0, OUT_CONFIG, "the zone is not in this "
	    "Alibaba Cloud account (set \"zone\" if it is not the name's "
	    "last two labels)" },
	{ "InvalidDomainName", 1, OUT_CONFIG, NULL },
	{ "DomainRecordLocked", 0, OUT_CONFIG, "the record is locked: unlock "
	    "it in the Alibaba Cloud DNS console" },
	{ "DomainRecordConflict", 0, OUT_CONFIG, "another record of this "
	    "name conflicts (a CNAME?)" },
	{ "DomainRecordNotBelongToUser", 0, OUT_CONFIG, NULL },
	{ "InvalidTimeStamp", 1, OUT_PROTOCOL, "check the system clock" },
};

/* One push in progress. */
struct al {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	const char		*line;
	const char		*akid;
	const char		*secret;
	int			 v1;
	char			*base;		/* scheme://authority */
	char			*host;		/* authority */
	char			*zone;
	char			*rr;
	char			*label;		/* "aliyun: name A" */
	long			 status;	/* of the last answer, or 0 */
	char			*code;		/* of the last error, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* Number of pairs in kv ("k","v",...,NULL). */
static size_t
kv_count(const char *const *kv)
{
	size_t	 n = 0;

	while (kv != NULL && kv[2 * n] != NULL)
		n++;
	return n;
}

/* Sign with V3; see aliyun.h. */
char *
aliyun_sign_v3(const char *method, const char *host, const char *const *kv,
    const char *action, const char *version, const char *date,
    const char *nonce, const char *content_type, const char *body,
    size_t bodylen, const char *akid, const char *secret, char **canon)
{
	static const char *const	 none[] = { NULL };
	unsigned char			 mac[32];
	char				 bh[65], ch[65], sig[65];
	char				*q, *creq = NULL, *sts = NULL, *auth = NULL;
	const char			*signed_hdrs;

	if (canon != NULL)
		*canon = NULL;
	if ((q = crypto_canonical_query(kv != NULL ? kv : none)) == NULL)
		return NULL;
	crypto_sha256_hex(body != NULL ? body : "", body != NULL ? bodylen : 0,
	    bh);
	signed_hdrs = content_type != NULL ? "content-type;host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
	    "x-acs-version" : "host;x-acs-action;x-acs-content-sha256;"
	    "x-acs-date;x-acs-signature-nonce;x-acs-version";
	creq = xasprintf("%s\n/\n%s\n%s%s%shost:%s\nx-acs-action:%s\n"
	    "x-acs-content-sha256:%s\nx-acs-date:%s\nx-acs-signature-nonce:%s\n"
	    "x-acs-version:%s\n\n%s\n%s", method, q,
	    content_type != NULL ? "content-type:" : "",
	    content_type != NULL ? content_type : "",
	    content_type != NULL ? "\n" : "", host, action, bh, date, nonce,
	    version, signed_hdrs, bh);
	if (creq == NULL)
		goto out;
	crypto_sha256_hex(creq, strlen(creq), ch);
	if ((sts = xasprintf("ACS3-HMAC-SHA256\n%s", ch)) == NULL)
		goto out;
	if (crypto_hmac(0, secret, strlen(secret), sts, strlen(sts), mac) !=
	    sizeof(mac))
		goto out;
	crypto_hex(mac, sizeof(mac), sig);
	auth = xasprintf("ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,"
	    "Signature=%s", akid, signed_hdrs, sig);
out:
	if (canon != NULL && auth != NULL) {
		*canon = creq;
		creq = NULL;
	}
	free(q);
	free(creq);
	free(sts);
	return auth;
}

/* Sign with V1; see aliyun.h. */
char *
aliyun_sign_v1(const char *method, const char *const *kv, const char *secret)
{
	unsigned char	 mac[20];
	char		*q, *eq = NULL, *sts = NULL, *key = NULL, *sig = NULL;

	if ((q = crypto_canonical_query(kv)) == NULL)
		return NULL;
	if ((eq = http_pctenc(q)) == NULL ||
	    (sts = xasprintf("%s&%%2F&%s", method, eq)) == NULL ||
	    (key = xasprintf("%s&", secret)) == NULL)
		goto out;
	if (crypto_hmac(1, key, strlen(key), sts, strlen(sts), mac) ==
	    sizeof(mac))
		sig = crypto_base64(mac, sizeof(mac));
out:
	free(q);
	free(eq);
	free(sts);
	free(key);
	return sig;
}

/* Free what aliyun_build() put in c; NULL is a no-op. */
void
aliyun_call_free(struct aliyun_call *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	free(c->url);
	for (i = 0; i < sizeof(c->hdr) / sizeof(c->hdr[0]); i++)
		free(c->hdr[i]);
	memset(c, 0, sizeof(*c));
}

/* Build a signed alidns request; see aliyun.h. */
int
aliyun_build(int v1, const char *base, const char *host, const char *action,
    const char *const *kv, const char *akid, const char *secret, time_t now,
    const char *nonce, struct aliyun_call *c)
{
	return aliyun_build_api("POST", ALIYUN_VERSION, v1, base, host, action,
	    kv, akid, secret, now, nonce, c);
}

/* Build a signed request to any RPC-style API; see aliyun.h. */
int
aliyun_build_api(const char *method, const char *version, int v1,
    const char *base, const char *host, const char *action,
    const char *const *kv, const char *akid, const char *secret, time_t now,
    const char *nonce, struct aliyun_call *c)
{
	const char	**all = NULL;
	char		 date[32], sha[65];
	char		*q = NULL, *sig = NULL, *esig = NULL, *auth = NULL;
	size_t		 n, i, h = 0;
	int		 ret = -1;

	memset(c, 0, sizeof(*c));
	crypto_utc(now, "%Y-%m-%dT%H:%M:%SZ", date, sizeof(date));
	n = kv_count(kv);
	if ((all = calloc(2 * n + 17, sizeof(*all))) == NULL)
		return -1;
	for (i = 0; i < 2 * n; i++)
		all[i] = kv[i];
	if (v1) {
		all[i++] = "AccessKeyId";	all[i++] = akid;
		all[i++] = "Action";		all[i++] = action;
		all[i++] = "Format";		all[i++] = "JSON";
		all[i++] = "SignatureMethod";	all[i++] = "HMAC-SHA1";
		all[i++] = "SignatureNonce";	all[i++] = nonce;
		all[i++] = "SignatureVersion";	all[i++] = "1.0";
		all[i++] = "Timestamp";		all[i++] = date;
		all[i++] = "Version";		all[i++] = version;
	}
	all[i] = NULL;
	if ((q = crypto_canonical_query(all)) == NULL)
		goto out;
	if (v1) {
		if ((sig = aliyun_sign_v1(method, all, secret)) == NULL ||
		    (esig = http_pctenc(sig)) == NULL ||
		    (c->url = xasprintf("%s/?%s&Signature=%s", base, q,
		    esig)) == NULL)
			goto out;
	} else {
		if ((auth = aliyun_sign_v3(method, host, all, action,
		    version, date, nonce, NULL, "", 0, akid, secret,
		    NULL)) == NULL)
			goto out;
		c->url = q[0] != '\0' ? xasprintf("%s/?%s", base, q) :
		    xasprintf("%s/", base);
		if (c->url == NULL)
			goto out;
		crypto_sha256_hex("", 0, sha);
		if ((c->hdr[h++] = xasprintf("Host: %s", host)) == NULL ||
		    (c->hdr[h++] = xasprintf("x-acs-action: %s",
		    action)) == NULL ||
		    (c->hdr[h++] = xasprintf("x-acs-version: %s",
		    version)) == NULL ||
		    (c->hdr[h++] = xasprintf("x-acs-date: %s", date)) == NULL ||
		    (c->hdr[h++] = xasprintf("x-acs-signature-nonce: %s",
		    nonce)) == NULL ||
		    (c->hdr[h++] = xasprintf("x-acs-content-sha256: %s",
		    sha)) == NULL ||
		    (c->hdr[h++] = xasprintf("Authorization: %s",
		    auth)) == NULL)
			goto out;
	}
	/* No body: no Content-Type (libcurl would add a form one). */
	if ((c->hdr[h++] = strdup("Content-Type:")) == NULL ||
	    (c->hdr[h++] = strdup("Accept: application/json")) == NULL)
		goto out;
	c->hdr[h] = NULL;
	ret = 0;
out:
	if (ret == -1)
		aliyun_call_free(c);
	free(all);
	free(q);
	free(sig);
	free(esig);
	free(auth);
	return ret;
}

/* Split an endpoint; see aliyun.h. */
int
aliyun_endpoint(const char *ep, char **base, char **host)
{
	const char	*a, *scheme = "https";
	size_t		 n, slen;
	char		*p;

	*base = *host = NULL;
	if ((a = strstr(ep, "://")) != NULL) {
		slen = (size_t)(a - ep);
		if (slen == 5 && strncasecmp(ep, "https", 5) == 0)
			scheme = "https";
		else if (slen == 4 && strncasecmp(ep, "http", 4) == 0)
			scheme = "http";
		else
			return -1;
		a += 3;
	} else
		a = ep;
	n = strcspn(a, "/?#");
	/* Only a path of slashes may follow: alidns lives at "/". */
	if (a[n] != '\0' && a[n + strspn(a + n, "/")] != '\0')
		return -1;
	if (n == 0 || memchr(a, '@', n) != NULL)
		return -1;
	for (p = (char *)a; p < a + n; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return -1;
	if ((*host = malloc(n + 1)) == NULL)
		return -1;
	for (slen = 0; slen < n; slen++)
		(*host)[slen] = (char)tolower((unsigned char)a[slen]);
	(*host)[n] = '\0';
	if ((*base = xasprintf("%s://%s", scheme, *host)) == NULL) {
		free(*host);
		*host = NULL;
		return -1;
	}
	return 0;
}

/* Index of code in codes[], or -1. */
static int
code_find(const char *code)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		n = strlen(codes[i].code);
		if (strcmp(code, codes[i].code) == 0 || (codes[i].prefix &&
		    strncmp(code, codes[i].code, n) == 0 && code[n] == '.'))
			return (int)i;
	}
	return -1;
}

/* The outcome of an error code; see aliyun.h. */
enum outcome
aliyun_code_outcome(const char *code, long status)
{
	int	 i;

	if ((i = code_find(code)) != -1)
		return codes[i].out;
	if (status >= 500)
		return OUT_TEMPFAIL;
	return OUT_PROTOCOL;
}

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read an alidns reply; see aliyun.h. */
enum outcome
aliyun_reply(long status, const char *body, json_t **rootp, char **codep,
    char **why)
{
	return aliyun_reply_perm(status, body, rootp, codep, why, NULL);
}

/* Read a reply, with perm as the missing-permission hint; see aliyun.h. */
enum outcome
aliyun_reply_perm(long status, const char *body, json_t **rootp, char **codep,
    char **why, const char *perm)
{
	json_t		*root = NULL, *c, *m;
	json_error_t	 jerr;
	char		 buf[AL_MSG_MAX] = "";
	const char	*code, *hint = NULL;
	enum outcome	 out;
	int		 i;

	*rootp = NULL;
	*codep = *why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, JSON_REJECT_DUPLICATES, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		root = NULL;
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
	}
	if (root == NULL) {
		provider_append(buf, sizeof(buf), jerr.text);
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not an Alibaba Cloud API "
			    "reply: %s", status, buf);
			return OUT_PROTOCOL;
		}
		/* An error page from something in front of the API. */
		*why = xasprintf("HTTP %ld (no Alibaba Cloud error in the "
		    "reply)", status);
		return provider_status_outcome(status);
	}
	c = json_object_get(root, "Code");
	if (is2xx(status) && (c == NULL || json_is_null(c))) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (!json_is_string(c) || json_string_length(c) == 0) {
		json_decref(root);
		*why = xasprintf("HTTP %ld (no Alibaba Cloud error code in the "
		    "reply)", status);
		return is2xx(status) ? OUT_PROTOCOL :
		    provider_status_outcome(status);
	}
	code = json_string_value(c);
	out = aliyun_code_outcome(code, status);
	if ((i = code_find(code)) != -1)
		hint = codes[i].hint;
	if (perm != NULL && hint != NULL && strcmp(hint, AL_PERM) == 0)
		hint = perm;
	provider_append(buf, sizeof(buf), code);
	m = json_object_get(root, "Message");
	if (json_is_string(m) && json_string_length(m) > 0) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), json_string_value(m));
	}
	*codep = strdup(code);
	*why = xasprintf("HTTP %ld: %s%s%s%s", status, buf, hint != NULL ?
	    " (" : "", hint != NULL ? hint : "", hint != NULL ? ")" : "");
	json_decref(root);
	return out;
}

/* Free what an aliyun_rec holds and zero it; NULL is a no-op. */
void
aliyun_rec_free(struct aliyun_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* 1 if s is a usable record id (digits, letters, '-', '_'), else 0. */
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

/* The record id in o (a string, or a number some answers use) as a
 * malloc'd string; NULL if absent, unusable or out of memory. */
static char *
id_copy(json_t *o)
{
	char	 num[32];

	if (json_is_integer(o) && json_integer_value(o) >= 0) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(o));
		return strdup(num);
	}
	if (json_is_string(o) && id_ok(json_string_value(o)))
		return strdup(json_string_value(o));
	return NULL;
}

/* Parse DescribeSubDomainRecords; see aliyun.h. */
enum outcome
aliyun_parse_records(long status, const char *body, const char *rr,
    const char *type, const char *line, struct aliyun_rec *first,
    size_t *count, char **code, char **why)
{
	json_t		*root, *list, *o, *ttl, *lk, *ln;
	const char	*r, *t, *v;
	size_t		 i;
	enum outcome	 out;

	memset(first, 0, sizeof(*first));
	*count = 0;
	if ((out = aliyun_reply(status, body, &root, code, why)) !=
	    OUT_CURRENT)
		return out;
	if (json_unpack_ex(root, NULL, 0, "{s:{s:o}}", "DomainRecords",
	    "Record", &list) == -1 || !json_is_array(list)) {
		/* No records at all may come back without the list. */
		o = json_object_get(root, "TotalCount");
		if (json_is_integer(o) && json_integer_value(o) == 0)
			goto out;
		*why = xasprintf("HTTP %ld: no DomainRecords.Record list in "
		    "the reply", status);
		out = OUT_PROTOCOL;
		goto out;
	}
	json_array_foreach(list, i, o) {
		ttl = lk = ln = NULL;
		if (json_unpack_ex(o, NULL, 0, "{s:s, s:s, s:s, s?:o, s?:o, "
		    "s?:o}", "RR", &r, "Type", &t, "Value", &v, "TTL", &ttl,
		    "Locked", &lk, "Line", &ln) == -1) {
			*why = xasprintf("HTTP %ld: record %zu has no RR, Type "
			    "or Value", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(r, rr) != 0)
			continue;
		if (strcmp(json_is_string(ln) ? json_string_value(ln) :
		    AL_LINE, line) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		first->id = id_copy(json_object_get(o, "RecordId"));
		first->value = strdup(v);
		first->ttl = json_is_integer(ttl) ?
		    (long)json_integer_value(ttl) : 0;
		first->locked = json_is_true(lk);
		if (first->id == NULL || first->value == NULL) {
			*why = xasprintf("HTTP %ld: record %zu has no usable "
			    "RecordId", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
	}
out:
	if (out != OUT_CURRENT) {
		aliyun_rec_free(first);
		*count = 0;
	}
	json_decref(root);
	return out;
}

/* Parse AddDomainRecord / UpdateDomainRecord; see aliyun.h. */
enum outcome
aliyun_parse_write(long status, const char *body, char **id, char **code,
    char **why)
{
	json_t		*root;
	enum outcome	 out;

	*id = NULL;
	out = aliyun_reply(status, body, &root, code, why);
	if (out != OUT_CURRENT) {
		if (*code != NULL && strcmp(*code, "DomainRecordDuplicate") ==
		    0) {
			free(*why);
			*why = NULL;
			return OUT_CURRENT;
		}
		return out;
	}
	if ((*id = id_copy(json_object_get(root, "RecordId"))) == NULL) {
		*why = xasprintf("HTTP %ld: no usable RecordId in the reply",
		    status);
		out = OUT_PROTOCOL;
	} else
		out = OUT_UPDATED;
	json_decref(root);
	return out;
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after throttling;
 * returns out. */
static enum outcome
fail(struct al *a, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", a->label != NULL ? a->label : "aliyun",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (out == OUT_TEMPFAIL && a->ctx->retry_after <= 0 &&
	    (a->status == 429 || (a->code != NULL &&
	    (strcmp(a->code, "Throttling") == 0 ||
	    strncmp(a->code, "Throttling.", 11) == 0))))
		a->ctx->retry_after = AL_WAIT;
	return out;
}

/* A problem with the configuration itself: held until it changes. */
static enum outcome
fail_config(struct al *a, char *inner, char **why)
{
	a->ctx->hold = 1;
	return fail(a, OUT_CONFIG, inner, why);
}

/*
 * Fill a for rec; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 * Whatever it allocated is freed by al_done() in every case.
 */
static enum outcome
al_init(struct al *a, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *sig;
	char		*inner = NULL;

	memset(a, 0, sizeof(*a));
	a->rec = rec;
	a->ctx = ctx;
	a->type = fam_rrtype(addr->fam);
	a->value = addr->text;
	if ((a->label = xasprintf("aliyun: %s %s", rec->name, a->type)) ==
	    NULL)
		return fail(a, OUT_TEMPFAIL, NULL, why);
	a->akid = rec_str(rec, "access_key_id");
	a->secret = rec_str(rec, "access_key_secret");
	if (a->akid == NULL || a->secret == NULL || *a->akid == '\0' ||
	    *a->secret == '\0')
		return fail_config(a, xasprintf("set access_key_id and "
		    "access_key_secret (a RAM user's AccessKey)"), why);
	if (provider_has_ctl(a->akid))
		return fail_config(a, xasprintf("access_key_id has a control "
		    "character"), why);
	if ((a->line = rec_str(rec, "line")) == NULL)
		a->line = AL_LINE;
	if (*a->line == '\0' || provider_has_ctl(a->line))
		return fail_config(a, xasprintf("line is empty or has a "
		    "control character"), why);
	sig = rec_str(rec, "signature");
	if (sig == NULL || strcasecmp(sig, "v3") == 0 ||
	    strcasecmp(sig, "ACS3-HMAC-SHA256") == 0)
		a->v1 = 0;
	else if (strcasecmp(sig, "v1") == 0 ||
	    strcasecmp(sig, "HMAC-SHA1") == 0)
		a->v1 = 1;
	else
		return fail_config(a, xasprintf("signature \"%s\" is neither "
		    "v3 nor v1", sig), why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = AL_ENDPOINT;
	if (aliyun_endpoint(ep, &a->base, &a->host) == -1)
		return fail_config(a, xasprintf("endpoint \"%s\" is not "
		    "https://host[:port]", ep), why);
	if (provider_split_name(rec->name, rec->zone, &a->zone, &a->rr,
	    &inner) == -1)
		return inner != NULL ? fail_config(a, inner, why) :
		    fail(a, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what al_init() and the calls allocated. */
static void
al_done(struct al *a)
{
	free(a->base);
	free(a->host);
	free(a->zone);
	free(a->rr);
	free(a->label);
	free(a->code);
}

/*
 * Call action with parameters kv. OUT_CURRENT with *resp holding the
 * answer (caller http_resp_free()s it), or OUT_TEMPFAIL with *why
 * (nothing to free).
 */
static enum outcome
al_call(struct al *a, const char *action, const char *const *kv,
    struct http_resp *resp, char **why)
{
	struct aliyun_call	 c;
	struct http_req		 req;
	enum outcome		 out;
	char			*nonce;

	memset(resp, 0, sizeof(*resp));
	a->status = 0;
	free(a->code);
	a->code = NULL;
	if ((nonce = crypto_nonce()) == NULL)
		return fail(a, OUT_TEMPFAIL, NULL, why);
	if (aliyun_build(a->v1, a->base, a->host, action, kv, a->akid,
	    a->secret, time(NULL), nonce, &c) == -1) {
		free(nonce);
		return fail(a, OUT_TEMPFAIL, NULL, why);
	}
	free(nonce);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = c.url;
	req.headers = (const char *const *)c.hdr;
	req.insecure = rec_bool(a->rec, "insecure", 0);
	if ((out = provider_send(a->label, &req, resp, a->ctx, why)) ==
	    OUT_CURRENT)
		a->status = resp->status;
	aliyun_call_free(&c);
	return out;
}

/* 1 if code says the record id names no record of ours, else 0. */
static int
gone_code(const char *code)
{
	return code != NULL && (strcmp(code, "DomainRecordNotBelongToUser") ==
	    0 || strncmp(code, "InvalidRecordId", 15) == 0);
}

/*
 * AddDomainRecord (id NULL) or UpdateDomainRecord id with ttl (0: not
 * sent). OUT_UPDATED or OUT_CURRENT (a duplicate) with ctx->new_record_id
 * set, else an error outcome with *why and a->code.
 */
static enum outcome
al_write(struct al *a, const char *id, long ttl, char **why)
{
	struct http_resp resp;
	const char	*kv[16];
	char		 sttl[24], *newid = NULL, *inner = NULL;
	enum outcome	 out;
	size_t		 n = 0;

	if (id == NULL) {
		kv[n++] = "DomainName";	kv[n++] = a->zone;
	} else {
		kv[n++] = "RecordId";	kv[n++] = id;
	}
	kv[n++] = "RR";		kv[n++] = a->rr;
	kv[n++] = "Type";	kv[n++] = a->type;
	kv[n++] = "Value";	kv[n++] = a->value;
	kv[n++] = "Line";	kv[n++] = a->line;
	if (ttl > 0) {
		snprintf(sttl, sizeof(sttl), "%ld", ttl);
		kv[n++] = "TTL";	kv[n++] = sttl;
	}
	kv[n] = NULL;
	log_info("%s: %s %s.%s %s %s (line %s)", a->label, id == NULL ?
	    "AddDomainRecord" : "UpdateDomainRecord", a->rr, a->zone, a->type,
	    a->value, a->line);
	if ((out = al_call(a, id == NULL ? "AddDomainRecord" :
	    "UpdateDomainRecord", kv, &resp, why)) != OUT_CURRENT)
		return out;
	out = aliyun_parse_write(resp.status, resp.body, &newid, &a->code,
	    &inner);
	http_resp_free(&resp);
	if (out != OUT_UPDATED && out != OUT_CURRENT)
		return fail(a, out, inner, why);
	if (out == OUT_CURRENT)
		log_info("%s: DomainRecordDuplicate: the record already holds "
		    "%s", a->label, a->value);
	free(a->ctx->new_record_id);
	a->ctx->new_record_id = newid != NULL ? newid :
	    (id != NULL ? strdup(id) : NULL);
	return out;
}

/*
 * Look the record up by name, type and line, and create it, update it,
 * or find it current. The outcome, with *why on failure.
 */
static enum outcome
al_lookup(struct al *a, char **why)
{
	struct http_resp resp;
	struct aliyun_rec have;
	const char	*kv[8];
	char		*inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;

	kv[0] = "SubDomain";	kv[1] = a->rec->name;
	kv[2] = "DomainName";	kv[3] = a->zone;
	kv[4] = "Type";		kv[5] = a->type;
	kv[6] = NULL;
	if ((out = al_call(a, "DescribeSubDomainRecords", kv, &resp, why)) !=
	    OUT_CURRENT)
		return out;
	out = aliyun_parse_records(resp.status, resp.body, a->rr, a->type,
	    a->line, &have, &count, &a->code, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		return fail(a, out, inner, why);
	if (count == 0) {
		out = al_write(a, NULL, a->rec->ttl, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name, type and line; "
		    "updating %s only", a->label, count, have.id);
	if (have.locked) {
		out = fail(a, OUT_CONFIG, xasprintf("record %s is locked: "
		    "unlock it in the Alibaba Cloud DNS console", have.id),
		    why);
		goto out;
	}
	if (provider_same_address(have.value, a->value) && (a->rec->ttl <= 0 ||
	    a->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", a->label, have.id,
		    a->value);
		free(a->ctx->new_record_id);
		if ((a->ctx->new_record_id = strdup(have.id)) == NULL)
			out = fail(a, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	/* Keep the TTL the record has unless one is configured. */
	out = al_write(a, have.id, a->rec->ttl > 0 ? a->rec->ttl : have.ttl,
	    why);
out:
	aliyun_rec_free(&have);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct al	 a;
	enum outcome	 out;

	*why = NULL;
	if ((out = al_init(&a, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/*
	 * One call through the stored id when the state shows the address
	 * really changed; when it should hold addr already (forced, stale,
	 * config change), look and compare instead.
	 */
	if (ctx->record_id != NULL && id_ok(ctx->record_id) &&
	    ctx->address != NULL && !provider_same_address(ctx->address, addr->text)) {
		out = al_write(&a, ctx->record_id, rec->ttl, why);
		if ((out == OUT_UPDATED || out == OUT_CURRENT) ||
		    !(gone_code(a.code) || (a.code == NULL &&
		    a.status == 404)))
			goto out;
		log_info("%s: record %s is gone (%s); looking it up", a.label,
		    ctx->record_id, *why);
		free(*why);
		*why = NULL;
	}
	out = al_lookup(&a, why);
out:
	al_done(&a);
	return out;
}

/* NULL if rec can be pushed (as far as the configuration shows), else why
 * not, malloc'd: caught by --check-config before any request. */
static char *
check(const struct record *rec)
{
	const char	*sig, *ep, *line;
	char		*base = NULL, *host = NULL, *zone = NULL, *rr = NULL;
	char		*why = NULL, *msg;

	sig = rec_str(rec, "signature");
	ep = rec_str(rec, "endpoint");
	line = rec_str(rec, "line");
	if (sig != NULL && strcasecmp(sig, "v3") != 0 &&
	    strcasecmp(sig, "ACS3-HMAC-SHA256") != 0 &&
	    strcasecmp(sig, "v1") != 0 && strcasecmp(sig, "HMAC-SHA1") != 0)
		return xasprintf("aliyun: signature \"%s\" is neither v3 nor "
		    "v1", sig);
	if (line != NULL && (*line == '\0' || provider_has_ctl(line)))
		return xasprintf("aliyun: line is empty or has a control "
		    "character");
	if (ep != NULL && aliyun_endpoint(ep, &base, &host) == -1)
		return xasprintf("aliyun: endpoint \"%s\" is not "
		    "https://host[:port]", ep);
	free(base);
	free(host);
	if (provider_split_name(rec->name, rec->zone, &zone, &rr, &why) == -1) {
		msg = xasprintf("aliyun: %s", why != NULL ? why :
		    "out of memory");
		free(why);
		return msg;
	}
	free(zone);
	free(rr);
	return NULL;
}

const struct provider provider_aliyun = {
	.name = "aliyun",
	.keys = keys,
	.push = push,
	.check = check,
};
