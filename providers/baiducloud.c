/*
 * baiducloud: Baidu AI Cloud DNS (百度智能云 智能云解析), API v1.
 * https://cloud.baidu.com/doc/DNS/s/El4s7lssr (record API)
 * https://cloud.baidu.com/doc/Reference/s/njwvz1yfu (bce-auth-v1)
 * https://cloud.baidu.com/doc/Reference/s/Bjz3uz3qj (common error codes)
 *
 * Quirks handled:
 * - REST: GET /v1/dns/zone/{zone}/record?rr= lists (paged by marker),
 *   POST .../record?clientToken= creates, PUT .../record/{id}?clientToken=
 *   updates. The writes answer an empty 200, so a create is followed by
 *   one list to learn the new record's id for the state file.
 * - bce-auth-v1: signing key = hex HMAC-SHA256(SK, "bce-auth-v1/AK/ts/
 *   1800"), signature = hex HMAC-SHA256(that hex key, canonical request).
 *   In the canonical request header values are percent-encoded too
 *   ("x-bce-date:2015-04-27T08%3A23%3A49Z"), the path keeps its '/', and
 *   nothing ends the last header line. We sign host, x-bce-date and, with
 *   a body, content-type, and name them in the Authorization value, as
 *   the official SDKs do; the Host header is ours so the signed host is
 *   the one on the wire (port included for a non-default endpoint).
 * - The apex is rr "@". A record exists per line (线路, default
 *   "default"): only the configured line's record is touched. An update
 *   cannot move a record between lines (the API takes no line there).
 * - Errors are {"requestId","code","message"} with a 4xx/5xx status. The
 *   common codes are documented; the DNS-specific codes for "no such
 *   zone", "record exists" and throttling are not in the documents we
 *   could read, so those map on the likely names and on the HTTP status
 *   (404 from the zone's list = zone not in this account; 429 = slow
 *   down).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "aliyun.h"		/* aliyun_endpoint(): same URL rules */
#include "baiducloud.h"

#define BD_ENDPOINT	"https://dns.baidubce.com"
#define BD_LINE		"default"
#define BD_WAIT		60	/* seconds after throttling without Retry-After */
#define BD_PAGES	20	/* list pages followed at most */
#define BD_MSG_MAX	400	/* quoted error text, bytes */
#define BD_CTYPE	"application/json; charset=utf-8"
#define BD_PERM		"the IAM user needs the DNS management or operations " \
	"system policy (管理权限/运维权限; read-only is not enough), or a " \
	"custom policy allowing it to list, create and modify records"
#define BD_ZONE		"the zone is not in this Baidu AI Cloud account (set " \
	"\"zone\" if it is not the name's last two labels)"

static const struct provider_key keys[] = {
	{ "access_key_id",	KEY_REQUIRED },
	{ "endpoint",		0 },
	{ "line",		0 },
	{ "secret_access_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,			0 }
};

/* Error codes and what they mean. */
static const struct {
	const char	*code;
	enum outcome	 out;
	const char	*hint;
} codes[] = {
	{ "SignatureDoesNotMatch", OUT_AUTH, "secret_access_key is not the "
	    "Secret Access Key of access_key_id (wrong or mistyped?)" },
	{ "InvalidAccessKeyId", OUT_AUTH, "no such Access Key ID: check "
	    "access_key_id" },
	{ "InvalidHTTPAuthHeader", OUT_AUTH, "check access_key_id and "
	    "secret_access_key" },
	{ "AccessDenied", OUT_AUTH, BD_PERM },
	{ "OptInRequired", OUT_CONFIG, "Baidu Cloud DNS is not activated "
	    "for this account" },
	/* Not in the documents we could read: the likely names. */
	{ "NoSuchZone", OUT_CONFIG, BD_ZONE },
	{ "ZoneNotExist", OUT_CONFIG, BD_ZONE },
	{ "ZoneNotFound", OUT_CONFIG, BD_ZONE },
	{ "RequestExpired", OUT_PROTOCOL, "check the system clock" },
	{ "InternalError", OUT_TEMPFAIL, NULL },
	{ "ServiceUnavailable", OUT_TEMPFAIL, NULL },
	{ "RequestLimitExceeded", OUT_TEMPFAIL, "throttled: the next run "
	    "retries after a pause" },
	{ "TooManyRequests", OUT_TEMPFAIL, "throttled: the next run retries "
	    "after a pause" },
	{ "Throttling", OUT_TEMPFAIL, "throttled: the next run retries "
	    "after a pause" },
};

/* One push in progress. */
struct bd {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	const char		*line;
	const char		*akid;
	const char		*secret;
	char			*base;		/* scheme://authority */
	char			*host;		/* authority */
	char			*zone;
	char			*rr;
	char			*label;		/* "baiducloud: name A" */
	long			 status;	/* of the last answer, or 0 */
	char			*code;		/* of the last error, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* qsort comparator for an array of strings. */
static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* s percent-encoded as UriEncodeExceptSlash: malloc'd, NULL on failure. */
static char *
enc_path(const char *s)
{
	char	*e, *p, *q;

	if ((e = http_pctenc(s)) == NULL)
		return NULL;
	for (p = q = e; *p != '\0'; p++, q++) {
		if (p[0] == '%' && p[1] == '2' && p[2] == 'F') {
			*q = '/';
			p += 2;
		} else
			*q = *p;
	}
	*q = '\0';
	return e;
}

/* The n strings of v sorted and joined by sep; malloc'd or NULL. */
static char *
join_sorted(char **v, size_t n, const char *sep)
{
	size_t	 i, len = 1, sl = strlen(sep);
	char	*out, *p;

	qsort(v, n, sizeof(*v), strp_cmp);
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + sl;
	if ((out = malloc(len)) == NULL)
		return NULL;
	p = out;
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(p, sep, sl);
			p += sl;
		}
		memcpy(p, v[i], strlen(v[i]));
		p += strlen(v[i]);
	}
	*p = '\0';
	return out;
}

/* Free the n strings of v and v itself. */
static void
free_strv(char **v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Number of pairs in kv ("k","v",...,NULL). */
static size_t
kv_count(const char *const *kv)
{
	size_t	 n = 0;

	while (kv != NULL && kv[2 * n] != NULL)
		n++;
	return n;
}

/* The canonical query string of kv; malloc'd or NULL. */
static char *
canon_query(const char *const *kv)
{
	char	**v;
	char	 *k = NULL, *e = NULL, *out = NULL;
	size_t	  n = kv_count(kv), i, m = 0;

	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strcasecmp(kv[2 * i], "authorization") == 0)
			continue;
		if ((k = http_pctenc(kv[2 * i])) == NULL ||
		    (e = http_pctenc(kv[2 * i + 1])) == NULL ||
		    (v[m] = xasprintf("%s=%s", k, e)) == NULL)
			goto out;
		m++;
		free(k);
		free(e);
		k = e = NULL;
	}
	out = join_sorted(v, m, "&");
out:
	free(k);
	free(e);
	free_strv(v, m);
	return out;
}

/* Signing key; see baiducloud.h. */
int
baiducloud_signing_key(const char *prefix, const char *secret, char key[65])
{
	unsigned char	 mac[32];

	if (crypto_hmac(0, secret, strlen(secret), prefix, strlen(prefix),
	    mac) != sizeof(mac))
		return -1;
	crypto_hex(mac, sizeof(mac), key);
	return 0;
}

/* Sign with bce-auth-v1; see baiducloud.h. */
char *
baiducloud_sign(const char *method, const char *path, const char *const *kv,
    const char *const *hdrs, const char *akid, const char *secret,
    const char *timestamp, long expires, char **canon)
{
	unsigned char	 mac[32];
	char		 key[65], sig[65];
	char		**lines = NULL, **names = NULL;
	char		*prefix = NULL, *uri = NULL, *q = NULL, *ch = NULL;
	char		*sh = NULL, *creq = NULL, *auth = NULL, *n = NULL;
	char		*v = NULL, *en = NULL, *ev = NULL;
	const char	*s, *e;
	size_t		 nh = kv_count(hdrs), i, j, m = 0;

	if (canon != NULL)
		*canon = NULL;
	if ((lines = calloc(nh + 1, sizeof(*lines))) == NULL ||
	    (names = calloc(nh + 1, sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < nh; i++) {
		/* Lower-case name, trimmed value, both encoded. */
		if ((n = strdup(hdrs[2 * i])) == NULL)
			goto out;
		for (j = 0; n[j] != '\0'; j++)
			n[j] = (char)tolower((unsigned char)n[j]);
		for (s = hdrs[2 * i + 1]; isspace((unsigned char)*s); s++)
			;
		for (e = s + strlen(s); e > s &&
		    isspace((unsigned char)e[-1]); e--)
			;
		if ((v = strndup(s, (size_t)(e - s))) == NULL ||
		    (en = http_pctenc(n)) == NULL ||
		    (ev = http_pctenc(v)) == NULL ||
		    (lines[m] = xasprintf("%s:%s", en, ev)) == NULL)
			goto out;
		names[m++] = n;
		n = NULL;
		free(v);
		free(en);
		free(ev);
		v = en = ev = NULL;
	}
	if ((ch = join_sorted(lines, m, "\n")) == NULL ||
	    (sh = join_sorted(names, m, ";")) == NULL)
		goto out;
	if ((uri = enc_path(path[0] == '/' ? path + 1 : path)) == NULL ||
	    (q = canon_query(kv)) == NULL)
		goto out;
	if ((creq = xasprintf("%s\n/%s\n%s\n%s", method, uri, q, ch)) == NULL)
		goto out;
	if ((prefix = xasprintf("bce-auth-v1/%s/%s/%ld", akid, timestamp,
	    expires)) == NULL || baiducloud_signing_key(prefix, secret,
	    key) == -1)
		goto out;
	if (crypto_hmac(0, key, strlen(key), creq, strlen(creq), mac) !=
	    sizeof(mac))
		goto out;
	crypto_hex(mac, sizeof(mac), sig);
	auth = xasprintf("%s/%s/%s", prefix, sh, sig);
out:
	if (canon != NULL && auth != NULL) {
		*canon = creq;
		creq = NULL;
	}
	free_strv(lines, m);
	free_strv(names, m);
	free(n);
	free(v);
	free(en);
	free(ev);
	free(prefix);
	free(uri);
	free(q);
	free(ch);
	free(sh);
	free(creq);
	return auth;
}

/* Free what baiducloud_build() put in c; NULL is a no-op. */
void
baiducloud_call_free(struct baiducloud_call *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	free(c->url);
	for (i = 0; i < sizeof(c->hdr) / sizeof(c->hdr[0]); i++)
		free(c->hdr[i]);
	memset(c, 0, sizeof(*c));
}

/* Build a signed request; see baiducloud.h. */
int
baiducloud_build(const char *method, const char *base, const char *host,
    const char *path, const char *const *kv, const char *body,
    const char *akid, const char *secret, time_t now,
    struct baiducloud_call *c)
{
	const char	*hdrs[8];
	char		 date[32];
	char		*uri = NULL, *q = NULL, *auth = NULL;
	size_t		 h = 0, n = 0;
	int		 ret = -1;

	memset(c, 0, sizeof(*c));
	crypto_utc(now, "%Y-%m-%dT%H:%M:%SZ", date, sizeof(date));
	hdrs[n++] = "host";		hdrs[n++] = host;
	hdrs[n++] = "x-bce-date";	hdrs[n++] = date;
	if (body != NULL) {
		hdrs[n++] = "content-type";	hdrs[n++] = BD_CTYPE;
	}
	hdrs[n] = NULL;
	if ((auth = baiducloud_sign(method, path, kv, hdrs, akid, secret, date,
	    BAIDUCLOUD_EXPIRES, NULL)) == NULL)
		goto out;
	if ((uri = enc_path(path[0] == '/' ? path + 1 : path)) == NULL ||
	    (q = canon_query(kv)) == NULL)
		goto out;
	c->url = q[0] != '\0' ? xasprintf("%s/%s?%s", base, uri, q) :
	    xasprintf("%s/%s", base, uri);
	if (c->url == NULL)
		goto out;
	if ((c->hdr[h++] = xasprintf("Host: %s", host)) == NULL ||
	    (c->hdr[h++] = xasprintf("x-bce-date: %s", date)) == NULL ||
	    (c->hdr[h++] = xasprintf("Authorization: %s", auth)) == NULL ||
	    (c->hdr[h++] = strdup(body != NULL ? "Content-Type: " BD_CTYPE :
	    "Content-Type:")) == NULL ||
	    (c->hdr[h++] = strdup("Accept: application/json")) == NULL)
		goto out;
	c->hdr[h] = NULL;
	ret = 0;
out:
	if (ret == -1)
		baiducloud_call_free(c);
	free(uri);
	free(q);
	free(auth);
	return ret;
}

/* Index of code in codes[], or -1. */
static int
code_find(const char *code)
{
	size_t	 i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i].code) == 0)
			return (int)i;
	return -1;
}

/* The outcome of an error code; see baiducloud.h. */
enum outcome
baiducloud_code_outcome(const char *code, long status)
{
	int	 i;

	if ((i = code_find(code)) != -1)
		return codes[i].out;
	if (status == 429 || status >= 500)
		return OUT_TEMPFAIL;
	return OUT_PROTOCOL;
}

/* 1 if code means "already there"; see baiducloud.h. Not in the documents
 * we could read: the likely names. */
int
baiducloud_dup_code(const char *code)
{
	return code != NULL && (strcmp(code, "RecordAlreadyExists") == 0 ||
	    strcmp(code, "RecordAlreadyExist") == 0 ||
	    strcmp(code, "DuplicateRecord") == 0 ||
	    strcmp(code, "RecordExists") == 0);
}

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Read a reply; see baiducloud.h. */
enum outcome
baiducloud_reply(long status, const char *body, json_t **rootp, char **codep,
    char **why)
{
	json_t		*root = NULL, *c, *m;
	json_error_t	 jerr;
	char		 buf[BD_MSG_MAX] = "";
	const char	*code, *hint = NULL;
	enum outcome	 out;
	int		 i;

	*rootp = NULL;
	*codep = *why = NULL;
	if (body == NULL || body[strspn(body, " \t\r\n")] == '\0') {
		if (is2xx(status))
			return OUT_CURRENT;
		*why = xasprintf("HTTP %ld (empty reply)", status);
		return provider_status_outcome(status);
	}
	root = json_loads(body, JSON_REJECT_DUPLICATES, &jerr);
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		root = NULL;
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
	}
	if (root == NULL) {
		provider_append(buf, sizeof(buf), jerr.text);
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not a Baidu AI Cloud API "
			    "reply: %s", status, buf);
			return OUT_PROTOCOL;
		}
		/* An error page from something in front of the API. */
		*why = xasprintf("HTTP %ld (no Baidu AI Cloud error in the "
		    "reply)", status);
		return provider_status_outcome(status);
	}
	if (is2xx(status)) {
		*rootp = root;
		return OUT_CURRENT;
	}
	c = json_object_get(root, "code");
	if (!json_is_string(c) || json_string_length(c) == 0) {
		json_decref(root);
		*why = xasprintf("HTTP %ld (no Baidu AI Cloud error code in the "
		    "reply)", status);
		return provider_status_outcome(status);
	}
	code = json_string_value(c);
	out = baiducloud_code_outcome(code, status);
	if ((i = code_find(code)) != -1)
		hint = codes[i].hint;
	provider_append(buf, sizeof(buf), code);
	m = json_object_get(root, "message");
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

/* Free what a baiducloud_rec holds and zero it; NULL is a no-op. */
void
baiducloud_rec_free(struct baiducloud_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* 1 if s is a usable record id (letters, digits, '-', '_'), else 0. */
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

/* The record id in o (a string or a number) as a malloc'd string; NULL if
 * absent, unusable or out of memory. */
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

/* Parse a record list; see baiducloud.h. */
enum outcome
baiducloud_parse_records(long status, const char *body, const char *rr,
    const char *type, const char *line, struct baiducloud_rec *first,
    size_t *count, char **next, char **code, char **why)
{
	json_t		*root, *list, *o, *ttl, *ln, *tr, *nm;
	const char	*r, *t, *v;
	size_t		 i;
	enum outcome	 out;

	*next = NULL;
	if ((out = baiducloud_reply(status, body, &root, code, why)) !=
	    OUT_CURRENT)
		return out;
	if (root == NULL || !json_is_array(list = json_object_get(root,
	    "records"))) {
		*why = xasprintf("HTTP %ld: no records list in the reply",
		    status);
		json_decref(root);
		return OUT_PROTOCOL;
	}
	json_array_foreach(list, i, o) {
		ttl = ln = NULL;
		if (json_unpack_ex(o, NULL, 0, "{s:s, s:s, s:s, s?:o, s?:o}",
		    "rr", &r, "type", &t, "value", &v, "ttl", &ttl, "line",
		    &ln) == -1) {
			*why = xasprintf("HTTP %ld: record %zu has no rr, type "
			    "or value", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(r, rr) != 0)
			continue;
		if (strcmp(json_is_string(ln) && json_string_length(ln) > 0 ?
		    json_string_value(ln) : BD_LINE, line) != 0)
			continue;
		if ((*count)++ > 0 || first->id != NULL)
			continue;
		first->id = id_copy(json_object_get(o, "id"));
		first->value = strdup(v);
		first->ttl = json_is_integer(ttl) ?
		    (long)json_integer_value(ttl) : 0;
		if (first->id == NULL || first->value == NULL) {
			*why = xasprintf("HTTP %ld: record %zu has no usable "
			    "id", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
	}
	tr = json_object_get(root, "isTruncated");
	nm = json_object_get(root, "nextMarker");
	if (json_is_true(tr) && json_is_string(nm) && json_string_length(nm) >
	    0 && (*next = strdup(json_string_value(nm))) == NULL) {
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	}
out:
	if (out != OUT_CURRENT) {
		baiducloud_rec_free(first);
		*count = 0;
		free(*next);
		*next = NULL;
	}
	json_decref(root);
	return out;
}

/* ---- talking to the API ------------------------------------------------- */

/* 1 if code asks us to slow down, else 0. */
static int
throttle_code(const char *code)
{
	return code != NULL && (strcmp(code, "RequestLimitExceeded") == 0 ||
	    strcmp(code, "TooManyRequests") == 0 ||
	    strcmp(code, "Throttling") == 0);
}

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after throttling;
 * returns out. */
static enum outcome
fail(struct bd *b, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", b->label != NULL ? b->label : "baiducloud",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (out == OUT_TEMPFAIL && b->ctx->retry_after <= 0 &&
	    (b->status == 429 || throttle_code(b->code)))
		b->ctx->retry_after = BD_WAIT;
	return out;
}

/* A problem with the configuration itself: held until it changes. */
static enum outcome
fail_config(struct bd *b, char *inner, char **why)
{
	b->ctx->hold = 1;
	return fail(b, OUT_CONFIG, inner, why);
}

/* The endpoint to use for rec, or NULL with *why if it is unusable. */
static char *
check_common(const struct record *rec, char **base, char **host)
{
	const char	*ep, *line;

	*base = *host = NULL;
	line = rec_str(rec, "line");
	if (line != NULL && (*line == '\0' || provider_has_ctl(line)))
		return xasprintf("line is empty or has a control character");
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = BD_ENDPOINT;
	if (aliyun_endpoint(ep, base, host) == -1)
		return xasprintf("endpoint \"%s\" is not https://host[:port]",
		    ep);
	return NULL;
}

/*
 * Fill b for rec; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 * Whatever it allocated is freed by bd_done() in every case.
 */
static enum outcome
bd_init(struct bd *b, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char	*inner = NULL;

	memset(b, 0, sizeof(*b));
	b->rec = rec;
	b->ctx = ctx;
	b->type = fam_rrtype(addr->fam);
	b->value = addr->text;
	if ((b->label = xasprintf("baiducloud: %s %s", rec->name, b->type)) ==
	    NULL)
		return fail(b, OUT_TEMPFAIL, NULL, why);
	b->akid = rec_str(rec, "access_key_id");
	b->secret = rec_str(rec, "secret_access_key");
	if (b->akid == NULL || b->secret == NULL || *b->akid == '\0' ||
	    *b->secret == '\0')
		return fail_config(b, xasprintf("set access_key_id and "
		    "secret_access_key (an IAM user's AK/SK)"), why);
	if (provider_has_ctl(b->akid))
		return fail_config(b, xasprintf("access_key_id has a control "
		    "character"), why);
	if ((inner = check_common(rec, &b->base, &b->host)) != NULL)
		return fail_config(b, inner, why);
	if ((b->line = rec_str(rec, "line")) == NULL)
		b->line = BD_LINE;
	if (provider_split_name(rec->name, rec->zone, &b->zone, &b->rr,
	    &inner) == -1)
		return inner != NULL ? fail_config(b, inner, why) :
		    fail(b, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what bd_init() and the calls allocated. */
static void
bd_done(struct bd *b)
{
	free(b->base);
	free(b->host);
	free(b->zone);
	free(b->rr);
	free(b->label);
	free(b->code);
}

/*
 * Send method to path with query kv and body (or NULL). OUT_CURRENT with
 * *resp holding the answer (caller http_resp_free()s it), or OUT_TEMPFAIL
 * with *why (nothing to free).
 */
static enum outcome
bd_call(struct bd *b, const char *method, const char *path,
    const char *const *kv, const char *body, struct http_resp *resp,
    char **why)
{
	struct baiducloud_call	 c;
	struct http_req		 req;
	enum outcome		 out;

	memset(resp, 0, sizeof(*resp));
	b->status = 0;
	free(b->code);
	b->code = NULL;
	if (baiducloud_build(method, b->base, b->host, path, kv, body, b->akid,
	    b->secret, time(NULL), &c) == -1)
		return fail(b, OUT_TEMPFAIL, NULL, why);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = c.url;
	req.headers = (const char *const *)c.hdr;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(b->rec, "insecure", 0);
	if ((out = provider_send(b->label, &req, resp, b->ctx, why)) ==
	    OUT_CURRENT)
		b->status = resp->status;
	baiducloud_call_free(&c);
	return out;
}

/*
 * List the zone's records named rr and find ours. OUT_CURRENT with
 * *count matches and the first in *have (caller frees), else an error
 * outcome with *why. A 404 without a code we know means no such zone.
 */
static enum outcome
bd_list(struct bd *b, struct baiducloud_rec *have, size_t *count, char **why)
{
	struct http_resp resp;
	const char	*kv[6];
	char		*path, *marker = NULL, *next = NULL, *inner = NULL;
	enum outcome	 out = OUT_CURRENT;
	int		 page;

	memset(have, 0, sizeof(*have));
	*count = 0;
	if ((path = xasprintf("/v1/dns/zone/%s/record", b->zone)) == NULL)
		return fail(b, OUT_TEMPFAIL, NULL, why);
	for (page = 0; page < BD_PAGES; page++) {
		kv[0] = "rr";	kv[1] = b->rr;
		kv[2] = NULL;
		if (marker != NULL) {
			kv[2] = "marker";	kv[3] = marker;
			kv[4] = NULL;
		}
		if ((out = bd_call(b, "GET", path, kv, NULL, &resp, why)) !=
		    OUT_CURRENT)
			break;
		out = baiducloud_parse_records(resp.status, resp.body, b->rr,
		    b->type, b->line, have, count, &next, &b->code, &inner);
		http_resp_free(&resp);
		if (out != OUT_CURRENT) {
			if (b->status == 404 && (b->code == NULL ||
			    code_find(b->code) == -1)) {
				out = OUT_CONFIG;
				next = inner;
				inner = xasprintf("%s (%s)", next != NULL ?
				    next : "HTTP 404", BD_ZONE);
				free(next);
				next = NULL;
			}
			out = fail(b, out, inner, why);
			break;
		}
		free(marker);
		if ((marker = next) == NULL)
			break;
		next = NULL;
	}
	free(marker);
	free(path);
	if (out != OUT_CURRENT)
		baiducloud_rec_free(have);
	return out;
}

/*
 * Create the record (id NULL) or update record id with ttl (0: not sent).
 * OUT_UPDATED, or OUT_CURRENT when the vendor says it is already there;
 * else an error outcome with *why and b->code.
 */
static enum outcome
bd_write(struct bd *b, const char *id, long ttl, char **why)
{
	struct http_resp resp;
	json_t		*o;
	const char	*kv[4];
	char		*path, *body = NULL, *token = NULL, *inner = NULL;
	enum outcome	 out;
	json_t		*root = NULL;

	if ((token = crypto_nonce()) == NULL)
		return fail(b, OUT_TEMPFAIL, NULL, why);
	kv[0] = "clientToken";	kv[1] = token;
	kv[2] = NULL;
	path = id == NULL ? xasprintf("/v1/dns/zone/%s/record", b->zone) :
	    xasprintf("/v1/dns/zone/%s/record/%s", b->zone, id);
	o = json_pack("{s:s, s:s, s:s}", "rr", b->rr, "type", b->type,
	    "value", b->value);
	if (o != NULL && id == NULL)
		json_object_set_new(o, "line", json_string(b->line));
	if (o != NULL && ttl > 0)
		json_object_set_new(o, "ttl", json_integer(ttl));
	if (o != NULL)
		body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (path == NULL || body == NULL) {
		out = fail(b, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s %s.%s %s %s (line %s)", b->label, id == NULL ?
	    "create" : "update", b->rr, b->zone, b->type, b->value, b->line);
	if ((out = bd_call(b, id == NULL ? "POST" : "PUT", path, kv, body,
	    &resp, why)) != OUT_CURRENT)
		goto out;
	out = baiducloud_reply(resp.status, resp.body, &root, &b->code,
	    &inner);
	http_resp_free(&resp);
	json_decref(root);
	if (out == OUT_CURRENT)
		out = OUT_UPDATED;
	else if (baiducloud_dup_code(b->code)) {
		log_info("%s: %s: the record already holds %s", b->label,
		    b->code, b->value);
		free(inner);
		out = OUT_CURRENT;
	} else
		out = fail(b, out, inner, why);
out:
	free(token);
	free(path);
	free(body);
	return out;
}

/* Remember id (or NULL) as the record's id for the state file. */
static void
keep_id(struct bd *b, const char *id)
{
	free(b->ctx->new_record_id);
	b->ctx->new_record_id = id != NULL ? strdup(id) : NULL;
}

/*
 * Look the record up by name, type and line, and create it, update it,
 * or find it current. The outcome, with *why on failure.
 */
static enum outcome
bd_lookup(struct bd *b, char **why)
{
	struct baiducloud_rec have;
	size_t		 count;
	enum outcome	 out;
	char		*ignored = NULL;

	if ((out = bd_list(b, &have, &count, why)) != OUT_CURRENT)
		return out;
	if (count == 0) {
		if ((out = bd_write(b, NULL, b->rec->ttl, why)) !=
		    OUT_UPDATED && out != OUT_CURRENT)
			return out;
		/* The create answers no id: one list learns it. */
		if (bd_list(b, &have, &count, &ignored) == OUT_CURRENT &&
		    count > 0)
			keep_id(b, have.id);
		else
			log_info("%s: could not learn the new record's id%s%s",
			    b->label, ignored != NULL ? ": " : "",
			    ignored != NULL ? ignored : "");
		free(ignored);
		baiducloud_rec_free(&have);
		return out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name, type and line; "
		    "updating %s only", b->label, count, have.id);
	if (provider_same_address(have.value, b->value) && (b->rec->ttl <= 0 ||
	    b->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", b->label, have.id,
		    b->value);
		keep_id(b, have.id);
		baiducloud_rec_free(&have);
		return OUT_CURRENT;
	}
	/* Keep the TTL the record has unless one is configured. */
	out = bd_write(b, have.id, b->rec->ttl > 0 ? b->rec->ttl : have.ttl,
	    why);
	if (out == OUT_UPDATED || out == OUT_CURRENT)
		keep_id(b, have.id);
	baiducloud_rec_free(&have);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct bd	 b;
	enum outcome	 out;

	*why = NULL;
	if ((out = bd_init(&b, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/*
	 * One call through the stored id when the state shows the address
	 * really changed; when it should hold addr already (forced, stale,
	 * config change), look and compare instead.
	 */
	if (ctx->record_id != NULL && id_ok(ctx->record_id) &&
	    ctx->address != NULL && !provider_same_address(ctx->address, addr->text)) {
		out = bd_write(&b, ctx->record_id, rec->ttl, why);
		if (out == OUT_UPDATED || out == OUT_CURRENT) {
			keep_id(&b, ctx->record_id);
			goto out;
		}
		if (b.status != 404)
			goto out;
		log_info("%s: record %s is gone (%s); looking it up", b.label,
		    ctx->record_id, *why);
		free(*why);
		*why = NULL;
	}
	out = bd_lookup(&b, why);
out:
	bd_done(&b);
	return out;
}

/* NULL if rec can be pushed (as far as the configuration shows), else why
 * not, malloc'd: caught by --check-config before any request. */
static char *
check(const struct record *rec)
{
	char	*base, *host, *zone = NULL, *rr = NULL, *why = NULL, *msg;

	if ((why = check_common(rec, &base, &host)) == NULL)
		provider_split_name(rec->name, rec->zone, &zone, &rr, &why);
	free(base);
	free(host);
	free(zone);
	free(rr);
	if (why == NULL)
		return NULL;
	msg = xasprintf("baiducloud: %s", why);
	free(why);
	return msg;
}

const struct provider provider_baiducloud = {
	.name = "baiducloud",
	.keys = keys,
	.push = push,
	.check = check,
};
