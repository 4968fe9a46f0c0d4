/*
 * huaweicloud: Huawei Cloud DNS, API v2, signed with SDK-HMAC-SHA256.
 * https://support.huaweicloud.com/intl/en-us/api-dns/dns_api_64001.html
 * https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm.html
 * (offline: ref/PROVIDERS.md)
 *
 * Quirks handled:
 * - The endpoint is regional, https://dns.<region>.myhuaweicloud.com
 *   (region cn-north-4 unless configured); "endpoint" overrides it.
 * - Names are absolute with a final dot, in queries and bodies alike.
 * - Record sets live in zones addressed by id: GET /v2/zones?type=public
 *   &name=<zone>. for the configured zone, else for each suffix of the
 *   name with two labels or more, longest first. Answers, "no such zone"
 *   included, are cached for the run.
 * - The name filters of both lists match fuzzily (a query for
 *   example.com. also lists myexample.com.), so every answer is matched
 *   again here, exactly and ignoring case.
 * - The signature: canonical URI is the path's segments decoded and
 *   re-encoded (RFC 3986) and always ending in "/", though the request
 *   itself is sent without it; the query is decoded, sorted and
 *   re-encoded; every header we send ourselves (Content-Type, Host,
 *   X-Sdk-Date, X-Project-Id) is signed, name lower-cased, value trimmed.
 *   Host is sent explicitly so that what is signed is what is sent.
 * - A record set holds a list of values; ddnsup makes it hold exactly
 *   one, the address (other values of a multi-value set are replaced,
 *   with a warning). PUT sends name, type, records and, when known or
 *   configured, ttl; an omitted ttl is kept by the service.
 * - Errors come in two shapes: the DNS service's {"code":"DNS.xxxx",
 *   "message"} and the API gateway's {"error_code":"APIGW.xxxx",
 *   "error_msg"}. Signature and key refusals (APIGW.0301/0303), 401 and
 *   403 are credential errors; an API the gateway does not know
 *   (APIGW.0101) means a wrong region or endpoint, a configuration error;
 *   DNS.0014 and APIGW.0308 are flow control (429).
 * - The state keeps "<zone_id>/<recordset_id>", so a later change is one
 *   PUT; a record set or zone deleted by hand answers 404 and we fall
 *   back to the lookup.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "huaweicloud.h"

#define HW_REGION	"cn-north-4"
#define HW_ALGO		"SDK-HMAC-SHA256"
#define HW_WAIT_429	60	/* seconds, when throttled without Retry-After */
#define HW_MSG_MAX	400	/* quoted error text, bytes */

#define HINT_KEY	"check access_key and secret_key (and the clock: the " \
			"signature includes the time)"
#define HINT_API	"the API gateway does not know this API: check region " \
			"and endpoint"
#define HINT_POLICY	"the IAM user needs the DNS FullAccess policy, or " \
			"dns:zone:list, dns:recordset:list, " \
			"dns:recordset:create and dns:recordset:update"

static const struct provider_key keys[] = {
	{ "access_key",	KEY_REQUIRED },
	{ "endpoint",	0 },
	{ "project_id",	0 },
	{ "region",	0 },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct hw {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*address;
	char			*fqdn;		/* name with the final dot */
	char			*base;		/* endpoint, no trailing '/' */
	char			*host;		/* Host header value */
	char			*label;		/* "huaweicloud: name A" */
	const char		*ak, *sk, *project;
	long			 status;	/* of the last answer, or 0 */
	char			*code;		/* vendor code of the last error */
};

/* ---- a growing string ---------------------------------------------------- */

struct sbuf {
	char	*p;
	size_t	 len, cap;
	int	 err;
};

/* Append n bytes of s; on failure set b->err. */
static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 128;
		while (b->len + n + 1 > ncap)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the string s. */
static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Append s percent-encoded (RFC 3986), keeping '/' when keep_slash. */
static void
sb_enc(struct sbuf *b, const char *s, int keep_slash)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 e[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) && *p < 0x80)
			sb_add(b, (const char *)p, 1);
		else if (*p == '-' || *p == '_' || *p == '.' || *p == '~' ||
		    (keep_slash && *p == '/'))
			sb_add(b, (const char *)p, 1);
		else {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 0xf];
			sb_add(b, e, 3);
		}
	}
}

/* The string built, handed to the caller (malloc'd), or NULL on failure
 * (then freed). An empty buffer gives "". */
static char *
sb_done(struct sbuf *b)
{
	if (b->err) {
		free(b->p);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	return b->p;
}

/* ---- the signer ---------------------------------------------------------- */

/* Value of hex digit c, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n bytes of s percent-decoded (invalid escapes kept as they are, '+'
 * kept: the SDKs use unquote, not unquote_plus); malloc'd or NULL. */
static char *
pctdec(const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;
	int	 h, l;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0) {
			*o++ = (char)(h << 4 | l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Split url into the host[:port] (*host, *hostlen), the path (*path,
 * *pathlen; "" when absent) and the query (*query or NULL); 0/-1. */
static int
url_split(const char *url, const char **host, size_t *hostlen,
    const char **path, size_t *pathlen, const char **query)
{
	const char	*p, *q;

	if ((p = strstr(url, "://")) == NULL)
		return -1;
	p += 3;
	*host = p;
	*hostlen = strcspn(p, "/?#");
	if (*hostlen == 0)
		return -1;
	p += *hostlen;
	*path = p;
	*pathlen = strcspn(p, "?#");
	q = p + *pathlen;
	*query = *q == '?' ? q + 1 : NULL;
	return 0;
}

/* One query parameter, decoded. */
struct qpar {
	char	*k, *v;
};

/* qsort order: by key, then value, byte-wise (code point order). */
static int
qpar_cmp(const void *a, const void *b)
{
	const struct qpar	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->k, y->k)) != 0)
		return c;
	return strcmp(x->v, y->v);
}

/* Append the canonical query of q (the part after '?', may be NULL):
 * decoded, empty keys dropped, sorted, re-encoded. 0/-1. */
static int
canon_query(struct sbuf *b, const char *q)
{
	struct qpar	*ps = NULL;
	const char	*s, *e, *eq;
	size_t		 n = 0, i, len;
	int		 ret = -1;

	if (q == NULL)
		return 0;
	len = strcspn(q, "#");
	for (i = 0; i < len; i++)
		if (q[i] == '&')
			n++;
	if ((ps = calloc(n + 1, sizeof(*ps))) == NULL)
		return -1;
	n = 0;
	for (s = q; s < q + len; s = e + 1) {
		if ((e = memchr(s, '&', q + len - s)) == NULL)
			e = q + len;
		if ((eq = memchr(s, '=', e - s)) == NULL)
			eq = e;
		if (eq == s)
			continue;	/* no key: the SDKs skip it */
		ps[n].k = pctdec(s, eq - s);
		ps[n].v = eq < e ? pctdec(eq + 1, e - eq - 1) : strdup("");
		if (ps[n].k == NULL || ps[n].v == NULL) {
			n++;
			goto out;
		}
		n++;
	}
	qsort(ps, n, sizeof(*ps), qpar_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_str(b, "&");
		sb_enc(b, ps[i].k, 0);
		sb_str(b, "=");
		sb_enc(b, ps[i].v, 0);
	}
	ret = b->err ? -1 : 0;
out:
	for (i = 0; i < n; i++) {
		free(ps[i].k);
		free(ps[i].v);
	}
	free(ps);
	return ret;
}

/* One header, as signed. */
struct hpar {
	char	*name;		/* lower case */
	char	*value;		/* trimmed */
};

/* qsort order of headers: by name. */
static int
hpar_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hpar *)a)->name,
	    ((const struct hpar *)b)->name);
}

/* 1 if c is white space as Python's str.strip() sees it (ASCII). */
static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* Canonical request; see huaweicloud.h. */
char *
hw_canonical_request(const char *method, const char *url,
    const char *const *headers, const char *body, size_t bodylen,
    char **signed_headers)
{
	struct sbuf	 b, sh;
	struct hpar	*hs = NULL;
	const char	*host, *path, *query, *v, *colon;
	char		*dpath = NULL, *p, hash[65], up;
	size_t		 hostlen, pathlen, n = 0, i, vl;

	*signed_headers = NULL;
	memset(&b, 0, sizeof(b));
	memset(&sh, 0, sizeof(sh));
	if (url_split(url, &host, &hostlen, &path, &pathlen, &query) == -1)
		return NULL;
	while (headers != NULL && headers[n] != NULL)
		n++;
	if ((hs = calloc(n + 1, sizeof(*hs))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((colon = strchr(headers[i], ':')) == NULL ||
		    colon == headers[i])
			goto fail;
		if ((hs[i].name = strndup(headers[i], colon - headers[i])) ==
		    NULL)
			goto fail;
		for (p = hs[i].name; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
		for (v = colon + 1; is_ws((unsigned char)*v); v++)
			;
		vl = strlen(v);
		while (vl > 0 && is_ws((unsigned char)v[vl - 1]))
			vl--;
		if ((hs[i].value = strndup(v, vl)) == NULL)
			goto fail;
	}
	qsort(hs, n, sizeof(*hs), hpar_cmp);

	for (v = method; *v != '\0'; v++) {
		up = toupper((unsigned char)*v);
		sb_add(&b, &up, 1);
	}
	sb_str(&b, "\n");
	if ((dpath = pctdec(path, pathlen)) == NULL)
		goto fail;
	if (dpath[0] != '/')
		sb_str(&b, "/");
	sb_enc(&b, dpath, 1);
	if (b.p == NULL || b.p[b.len - 1] != '/')
		sb_str(&b, "/");
	sb_str(&b, "\n");
	if (canon_query(&b, query) == -1)
		goto fail;
	sb_str(&b, "\n");
	for (i = 0; i < n; i++) {
		sb_str(&b, hs[i].name);
		sb_str(&b, ":");
		sb_str(&b, hs[i].value);
		sb_str(&b, "\n");
		if (i > 0)
			sb_str(&sh, ";");
		sb_str(&sh, hs[i].name);
	}
	sb_str(&b, "\n");
	if (sh.p != NULL)
		sb_str(&b, sh.p);
	sb_str(&b, "\n");
	crypto_sha256_hex(body != NULL ? body : "", body != NULL ? bodylen : 0,
	    hash);
	sb_str(&b, hash);
	if (b.err || sh.err)
		goto fail;
	for (i = 0; i < n; i++) {
		free(hs[i].name);
		free(hs[i].value);
	}
	free(hs);
	free(dpath);
	if ((*signed_headers = sb_done(&sh)) == NULL) {
		free(b.p);
		return NULL;
	}
	return sb_done(&b);
fail:
	for (i = 0; i < n; i++) {
		free(hs[i].name);
		free(hs[i].value);
	}
	free(hs);
	free(dpath);
	free(b.p);
	free(sh.p);
	return NULL;
}

/* The trimmed value of header name (case-insensitive) in headers, as a
 * malloc'd string, or NULL. */
static char *
header_value(const char *const *headers, const char *name)
{
	size_t		 nl = strlen(name), vl;
	const char	*v;

	for (; headers != NULL && *headers != NULL; headers++) {
		if (strncasecmp(*headers, name, nl) != 0 ||
		    (*headers)[nl] != ':')
			continue;
		for (v = *headers + nl + 1; is_ws((unsigned char)*v); v++)
			;
		vl = strlen(v);
		while (vl > 0 && is_ws((unsigned char)v[vl - 1]))
			vl--;
		return strndup(v, vl);
	}
	return NULL;
}

/* Authorization value; see huaweicloud.h. */
char *
hw_sign(const char *method, const char *url, const char *const *headers,
    const char *body, size_t bodylen, const char *ak, const char *sk)
{
	unsigned char	 mac[32];
	char		*creq = NULL, *sh = NULL, *date = NULL, *sts = NULL;
	char		*auth = NULL, hash[65], sig[65];

	if ((date = header_value(headers, "X-Sdk-Date")) == NULL ||
	    (creq = hw_canonical_request(method, url, headers, body, bodylen,
	    &sh)) == NULL)
		goto out;
	crypto_sha256_hex(creq, strlen(creq), hash);
	if ((sts = xasprintf("%s\n%s\n%s", HW_ALGO, date, hash)) == NULL ||
	    crypto_hmac(0, sk, strlen(sk), sts, strlen(sts), mac) != 32)
		goto out;
	crypto_hex(mac, sizeof(mac), sig);
	auth = xasprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
	    HW_ALGO, ak, sh, sig);
out:
	free(creq);
	free(sh);
	free(date);
	free(sts);
	return auth;
}

/* ---- replies ------------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* 1 if code is one of the NULL-ended list, else 0. */
static int
code_in(const char *code, const char *const *list)
{
	if (code == NULL)
		return 0;
	for (; *list != NULL; list++)
		if (strcmp(code, *list) == 0)
			return 1;
	return 0;
}

/* Codes meaning the signature or the key was refused. */
static const char *const key_codes[] = { "APIGW.0301", "APIGW.0303",
    "DNS.0005", NULL };
/* Codes meaning flow control. */
static const char *const busy_codes[] = { "DNS.0014", "APIGW.0308", NULL };

/* Error reply; see huaweicloud.h. */
enum outcome
hw_error(long status, const char *body, char **codep, int *throttled,
    char **why)
{
	json_t		*root = NULL, *c, *m;
	const char	*code = NULL, *msg = NULL, *hint = NULL;
	char		 buf[HW_MSG_MAX] = "";
	enum outcome	 out;

	if (codep != NULL)
		*codep = NULL;
	*throttled = 0;
	if (body != NULL && (root = json_loads(body, 0, NULL)) != NULL &&
	    json_is_object(root)) {
		if (!json_is_string(c = json_object_get(root, "code")))
			c = json_object_get(root, "error_code");
		if (!json_is_string(m = json_object_get(root, "message")))
			m = json_object_get(root, "error_msg");
		code = json_string_value(c);
		msg = json_string_value(m);
	}
	if (code_in(code, key_codes)) {
		out = OUT_AUTH;
		hint = status == 403 ? HINT_POLICY : HINT_KEY;
	} else if (code != NULL && strcmp(code, "APIGW.0101") == 0) {
		/* No such API here: a wrong region or endpoint. */
		out = OUT_CONFIG;
		hint = HINT_API;
	} else if (code_in(code, busy_codes) || status == 429) {
		out = OUT_TEMPFAIL;
		*throttled = 1;
	} else if (status == 401) {
		out = OUT_AUTH;
		hint = HINT_KEY;
	} else if (status == 403) {
		out = OUT_AUTH;
		hint = HINT_POLICY;
	} else if ((code != NULL && strcmp(code, "DNS.0004") == 0) ||
	    status == 404)
		out = OUT_CONFIG;
	else if (status == 408 || status >= 500)
		out = OUT_TEMPFAIL;
	else
		out = OUT_PROTOCOL;

	if (code != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), code != NULL ? code : "(no code)");
		if (msg != NULL) {
			provider_append(buf, sizeof(buf), " ");
			provider_append(buf, sizeof(buf), msg);
		}
		*why = hint != NULL ? xasprintf("HTTP %ld: %s (%s)", status, buf,
		    hint) : xasprintf("HTTP %ld: %s", status, buf);
	} else
		*why = hint != NULL ? xasprintf("HTTP %ld (no Huawei Cloud error "
		    "in the reply; %s)", status, hint) : xasprintf("HTTP %ld (no "
		    "Huawei Cloud error in the reply)", status);
	if (codep != NULL && code != NULL)
		*codep = strdup(code);
	json_decref(root);
	return out;
}

/* 1 if s looks like a Huawei Cloud id (safe in a path and in
 * "<zone>/<record>"), else 0. */
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

/* 1 if domain names a and b are equal ignoring case and a final dot. */
static int
name_eq(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Parse a 2xx reply into *root with the array member key in *arr; else an
 * outcome with *why. OUT_CURRENT when parsed (caller json_decref(*root)). */
static enum outcome
load_list(long status, const char *body, const char *key, json_t **root,
    json_t **arr, char **why)
{
	json_error_t	 jerr;
	char		 buf[HW_MSG_MAX] = "";
	int		 thr;

	*root = *arr = NULL;
	if (!is2xx(status))
		return hw_error(status, body, NULL, &thr, why);
	if (body == NULL || (*root = json_loads(body, 0, &jerr)) == NULL) {
		provider_append(buf, sizeof(buf), body == NULL ? "empty reply" :
		    jerr.text);
		*why = xasprintf("HTTP %ld: not a Huawei Cloud DNS reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	if (!json_is_array(*arr = json_object_get(*root, key))) {
		json_decref(*root);
		*root = *arr = NULL;
		*why = xasprintf("HTTP %ld: not a Huawei Cloud DNS reply: no "
		    "\"%s\" list", status, key);
		return OUT_PROTOCOL;
	}
	return OUT_CURRENT;
}

/* Parse the zone list; see huaweicloud.h. */
enum outcome
hw_parse_zones(long status, const char *body, const char *zone,
    char **zone_id, char **why)
{
	json_t		*root, *arr, *z;
	const char	*id, *zn, *zt;
	size_t		 i;
	enum outcome	 out;

	*zone_id = NULL;
	*why = NULL;
	if ((out = load_list(status, body, "zones", &root, &arr, why)) !=
	    OUT_CURRENT)
		return out;
	json_array_foreach(arr, i, z) {
		zt = NULL;
		if (json_unpack_ex(z, NULL, 0, "{s:s, s:s, s?:s}", "id", &id,
		    "name", &zn, "zone_type", &zt) == -1 || !id_ok(id)) {
			*why = xasprintf("HTTP %ld: zone %zu has no usable id "
			    "or name", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (!name_eq(zn, zone) || (zt != NULL &&
		    strcmp(zt, "public") != 0))
			continue;
		if ((*zone_id = strdup(id)) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
		}
		break;
	}
out:
	json_decref(root);
	return out;
}

/* Free what an hw_rec holds and zero it; NULL is a no-op. */
void
hw_rec_free(struct hw_rec *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	free(r->id);
	for (i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

/* Copy a record set object into r; 0/-1 (a field of the wrong type, or
 * out of memory). */
static int
rec_copy(json_t *o, struct hw_rec *r)
{
	json_t		*ttl = NULL, *vals, *v;
	const char	*id;
	size_t		 i;

	if (json_unpack_ex(o, NULL, 0, "{s:s, s:o, s?:o}", "id", &id,
	    "records", &vals, "ttl", &ttl) == -1 || !id_ok(id) ||
	    !json_is_array(vals) || (ttl != NULL && !json_is_integer(ttl) &&
	    !json_is_null(ttl)))
		return -1;
	r->ttl = json_is_integer(ttl) ? (long)json_integer_value(ttl) : 0;
	if ((r->id = strdup(id)) == NULL ||
	    (r->values = calloc(json_array_size(vals) + 1,
	    sizeof(*r->values))) == NULL)
		return -1;
	json_array_foreach(vals, i, v) {
		if (!json_is_string(v) ||
		    (r->values[r->nvalues] = strdup(json_string_value(v))) ==
		    NULL)
			return -1;
		r->nvalues++;
	}
	return 0;
}

/* Parse a record set list; see huaweicloud.h. */
enum outcome
hw_parse_recordsets(long status, const char *body, const char *name,
    const char *type, struct hw_rec *first, size_t *count, char **why)
{
	json_t		*root, *arr, *o;
	const char	*rn, *rt;
	size_t		 i;
	enum outcome	 out;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	if ((out = load_list(status, body, "recordsets", &root, &arr, why)) !=
	    OUT_CURRENT)
		return out;
	json_array_foreach(arr, i, o) {
		if (json_unpack_ex(o, NULL, 0, "{s:s, s:s}", "name", &rn,
		    "type", &rt) == -1) {
			*why = xasprintf("HTTP %ld: record set %zu has no name "
			    "or type", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (strcasecmp(rt, type) != 0 || !name_eq(rn, name))
			continue;
		if ((*count)++ > 0)
			continue;
		if (rec_copy(o, first) == -1) {
			*why = xasprintf("HTTP %ld: record set %zu has no usable "
			    "id, records or ttl", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
	}
out:
	if (out != OUT_CURRENT) {
		hw_rec_free(first);
		*count = 0;
	}
	json_decref(root);
	return out;
}

/* Parse a POST/PUT reply; see huaweicloud.h. */
enum outcome
hw_parse_write(long status, const char *body, char **id, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*s;
	char		 buf[HW_MSG_MAX] = "";
	enum outcome	 out;
	int		 thr;

	*id = NULL;
	*why = NULL;
	if (!is2xx(status))
		return hw_error(status, body, NULL, &thr, why);
	if (body == NULL || (root = json_loads(body, 0, &jerr)) == NULL) {
		provider_append(buf, sizeof(buf), body == NULL ? "empty reply" :
		    jerr.text);
		*why = xasprintf("HTTP %ld: not a Huawei Cloud DNS reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	if (json_unpack_ex(root, NULL, 0, "{s:s}", "id", &s) == -1 ||
	    !id_ok(s)) {
		*why = xasprintf("HTTP %ld: the written record set has no id",
		    status);
		out = OUT_PROTOCOL;
	} else if ((*id = strdup(s)) == NULL) {
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	} else
		out = OUT_UPDATED;
	json_decref(root);
	return out;
}

/* Write body; see huaweicloud.h. */
char *
hw_build_body(const char *name, const char *type, long ttl,
    const char *address)
{
	json_t	*o;
	char	*fqdn, *s = NULL;
	size_t	 n = strlen(name);

	if ((fqdn = n > 0 && name[n - 1] == '.' ? strdup(name) :
	    xasprintf("%s.", name)) == NULL)
		return NULL;
	o = json_pack("{s:s, s:s, s:[s]}", "name", fqdn, "type", type,
	    "records", address);
	if (o != NULL && ttl > 0 && json_object_set_new(o, "ttl",
	    json_integer(ttl)) == -1) {
		json_decref(o);
		o = NULL;
	}
	if (o != NULL)
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	free(fqdn);
	return s;
}

/* Whether have is current; see huaweicloud.h. */
int
hw_rec_current(const struct hw_rec *have, const char *address, long ttl)
{
	return have->nvalues == 1 && provider_same_address(have->values[0], address) &&
	    (ttl <= 0 || have->ttl == ttl);
}

/* Split a stored id; see huaweicloud.h. */
int
hw_split_id(const char *stored, char **zone_id, char **record_id)
{
	const char	*slash;

	*zone_id = *record_id = NULL;
	if (stored == NULL || (slash = strchr(stored, '/')) == NULL)
		return -1;
	if ((*zone_id = strndup(stored, slash - stored)) == NULL ||
	    (*record_id = strdup(slash + 1)) == NULL ||
	    !id_ok(*zone_id) || !id_ok(*record_id)) {
		free(*zone_id);
		free(*record_id);
		*zone_id = *record_id = NULL;
		return -1;
	}
	return 0;
}

/* ---- talking to the API -------------------------------------------------- */

/* 1 if region is a plausible region name (a-z, 0-9, '-'), else 0. */
static int
region_ok(const char *region)
{
	const char	*s;

	for (s = region; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-')
			return 0;
	return s != region && s - region <= 64;
}

/* NULL if ep is a usable endpoint URL, else why not (static). */
static const char *
endpoint_bad(const char *ep)
{
	const char	*h;

	if (strncmp(ep, "https://", 8) == 0)
		h = ep + 8;
	else if (strncmp(ep, "http://", 7) == 0)
		h = ep + 7;
	else
		return "does not start with https:// or http://";
	if (*h == '\0' || *h == '/')
		return "has no host";
	if (provider_has_ctl(ep) || strpbrk(ep, " ?#@") != NULL)
		return "has a space, control character, '?', '#' or '@'";
	return NULL;
}

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record; returns out. */
static enum outcome
fail(struct hw *c, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "huaweicloud", inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/*
 * Fill c for rec; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 * Whatever it allocated is freed by hw_done() in every case.
 */
static enum outcome
hw_init(struct hw *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *region, *bad, *h;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->address = addr->text;
	if ((c->label = xasprintf("huaweicloud: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(rec->name);
	if ((c->fqdn = n > 0 && rec->name[n - 1] == '.' ? strdup(rec->name) :
	    xasprintf("%s.", rec->name)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);

	c->ak = rec_str(rec, "access_key");
	c->sk = rec_str(rec, "secret_key");
	c->project = rec_str(rec, "project_id");
	if (c->ak == NULL || c->sk == NULL || *c->ak == '\0' ||
	    *c->sk == '\0')
		return fail(c, OUT_CONFIG, xasprintf("no credentials: set "
		    "access_key and secret_key"), why);
	if (provider_has_ctl(c->ak) || strpbrk(c->ak, " ,=") != NULL)
		return fail(c, OUT_CONFIG, xasprintf("access_key has a space, "
		    "',', '=' or control character"), why);
	if (c->project != NULL && (*c->project == '\0' || provider_has_ctl(c->project)))
		return fail(c, OUT_CONFIG, xasprintf("project_id is empty or "
		    "has a control character"), why);

	if ((ep = rec_str(rec, "endpoint")) != NULL) {
		if ((bad = endpoint_bad(ep)) != NULL)
			return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" "
			    "%s", ep, bad), why);
		c->base = strdup(ep);
	} else {
		if ((region = rec_str(rec, "region")) == NULL)
			region = HW_REGION;
		if (!region_ok(region))
			return fail(c, OUT_CONFIG, xasprintf("region \"%s\" is "
			    "not a region name such as %s", region, HW_REGION),
			    why);
		c->base = xasprintf("https://dns.%s.myhuaweicloud.com", region);
	}
	if (c->base == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';

	/* Host as curl would send it: the URL's, default port dropped. */
	h = strstr(c->base, "://") + 3;
	n = strcspn(h, "/");
	if ((c->host = strndup(h, n)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (strncmp(c->base, "https:", 6) == 0 && n > 4 &&
	    strcmp(c->host + n - 4, ":443") == 0)
		c->host[n - 4] = '\0';
	else if (strncmp(c->base, "http:", 5) == 0 && n > 3 &&
	    strcmp(c->host + n - 3, ":80") == 0)
		c->host[n - 3] = '\0';
	return OUT_CURRENT;
}

/* Free what hw_init() allocated. */
static void
hw_done(struct hw *c)
{
	free(c->label);
	free(c->fqdn);
	free(c->base);
	free(c->host);
	free(c->code);
}

/*
 * Sign and send one request for path (with its query). OUT_CURRENT with
 * *resp holding a 2xx answer (caller http_resp_free()s it); else an error
 * outcome with *why (nothing to free), c->status and c->code telling what
 * the service said.
 */
static enum outcome
hw_call(struct hw *c, const char *method, const char *path, const char *body,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	const char	*hdrs[7];
	char		*url, *hhost = NULL, *hdate = NULL, *hproj = NULL;
	char		*auth = NULL, *hauth = NULL, *inner = NULL, date[32];
	size_t		 n = 0;
	enum outcome	 out;
	int		 throttled;

	memset(resp, 0, sizeof(*resp));
	c->status = 0;
	free(c->code);
	c->code = NULL;
	crypto_utc(time(NULL), "%Y%m%dT%H%M%SZ", date, sizeof(date));
	url = xasprintf("%s%s", c->base, path);
	hhost = xasprintf("Host: %s", c->host);
	hdate = xasprintf("X-Sdk-Date: %s", date);
	if (c->project != NULL)
		hproj = xasprintf("X-Project-Id: %s", c->project);
	if (url == NULL || hhost == NULL || hdate == NULL ||
	    (c->project != NULL && hproj == NULL)) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[n++] = "Content-Type: application/json";
	hdrs[n++] = hhost;
	hdrs[n++] = hdate;
	if (hproj != NULL)
		hdrs[n++] = hproj;
	hdrs[n] = NULL;
	if ((auth = hw_sign(method, url, hdrs, body, body != NULL ?
	    strlen(body) : 0, c->ak, c->sk)) == NULL ||
	    (hauth = xasprintf("Authorization: %s", auth)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, xasprintf("cannot sign the "
		    "request"), why);
		goto out;
	}
	hdrs[n++] = hauth;
	hdrs[n] = NULL;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	if ((out = provider_send(c->label, &req, resp, c->ctx, why)) !=
	    OUT_CURRENT)
		goto out;
	c->status = resp->status;
	if (!is2xx(resp->status)) {
		out = hw_error(resp->status, resp->body, &c->code, &throttled,
		    &inner);
		http_resp_free(resp);
		memset(resp, 0, sizeof(*resp));
		if (throttled && c->ctx->retry_after <= 0)
			c->ctx->retry_after = HW_WAIT_429;
		out = fail(c, out, inner, why);
	}
out:
	free(url);
	free(hhost);
	free(hdate);
	free(hproj);
	free(auth);
	free(hauth);
	return out;
}

/*
 * Look up the public zone called zone (a provider_zone_fn).
 * OUT_CURRENT with *id malloc'd (caller frees) or NULL when the account
 * has no such zone; else an error outcome with *why.
 */
static enum outcome
zone_lookup(void *arg, const char *zone, char **id, char **why)
{
	struct hw	*c = arg;
	struct http_resp resp;
	char		*dotted = NULL, *q = NULL, *path = NULL;
	char		*inner = NULL;
	const char	*kv[5];
	enum outcome	 out;

	*id = NULL;
	kv[0] = "type";
	kv[1] = "public";
	kv[2] = "name";
	kv[3] = dotted = xasprintf("%s.", zone);
	kv[4] = NULL;
	if (dotted == NULL || (q = crypto_canonical_query(kv)) == NULL ||
	    (path = xasprintf("/v2/zones?%s", q)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = hw_call(c, "GET", path, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = hw_parse_zones(resp.status, resp.body, zone, id, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(c, out, inner, why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, zone, *id != NULL ? *id :
	    "not on this account");
out:
	free(dotted);
	free(q);
	free(path);
	return out;
}

/*
 * The id of the zone the record lives in: the configured zone, else the
 * longest suffix of the name (two labels or more) the account holds
 * (provider_find_zone). OUT_CURRENT with *zid (malloc'd, caller frees),
 * else an outcome with *why.
 */
static enum outcome
find_zone(struct hw *c, char **zid, char **why)
{
	struct zone_walk w;
	struct record	 r;
	char		*pfx, *name, *z = NULL;
	size_t		 n;
	enum outcome	 out;

	*zid = NULL;
	/* A configured "example.com." is asked for as "example.com". */
	r = *c->rec;
	if (r.zone != NULL) {
		if ((r.zone = z = strdup(r.zone)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		n = strlen(z);
		while (n > 0 && z[n - 1] == '.')
			z[--n] = '\0';
	}
	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "public Huawei Cloud zone";
	w.hint = "the zone must be on this account, or set \"zone\"";
	w.lookup = zone_lookup;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("huaweicloud:%s:%s", c->base,
	    c->ak)) == NULL) {
		free(z);
		return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(c->ctx, &r, &w, &name, zid, why);
	free(pfx);
	free(name);
	free(z);
	return out;
}

/*
 * POST (rid NULL) or PUT the record set rid in zone zid with body.
 * OUT_UPDATED and ctx->new_record_id set, or an error outcome with *why.
 */
static enum outcome
hw_write(struct hw *c, const char *zid, const char *rid, const char *body,
    char **why)
{
	struct http_resp resp;
	char		*path, *id = NULL, *inner = NULL;
	enum outcome	 out;

	path = rid == NULL ? xasprintf("/v2/zones/%s/recordsets", zid) :
	    xasprintf("/v2/zones/%s/recordsets/%s", zid, rid);
	if (path == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	log_info("%s: %s %s", c->label, rid == NULL ? "creating" : "updating",
	    body);
	if ((out = hw_call(c, rid == NULL ? "POST" : "PUT", path, body, &resp,
	    why)) != OUT_CURRENT)
		goto out;
	out = hw_parse_write(resp.status, resp.body, &id, &inner);
	http_resp_free(&resp);
	if (out != OUT_UPDATED) {
		out = fail(c, out, inner, why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zid, id)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	free(path);
	free(id);
	return out;
}

/*
 * The one-call PUT through the id the state remembers: OUT_UPDATED or an
 * error outcome with *why; or -1, nothing set, when there is no usable id
 * or the record set (or its zone) is gone and the caller should look it
 * up.
 */
static int
update_known(struct hw *c, char **why)
{
	char		*zid = NULL, *rid = NULL, *body = NULL;
	enum outcome	 out;
	int		 ret = -1;

	if (hw_split_id(c->ctx->record_id, &zid, &rid) == -1)
		return -1;
	if ((body = hw_build_body(c->fqdn, c->type, c->rec->ttl,
	    c->address)) == NULL) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = hw_write(c, zid, rid, body, why);
	if (out != OUT_UPDATED && c->status == 404 && (c->code == NULL ||
	    strncmp(c->code, "APIGW.", 6) != 0)) {
		log_info("%s: record set %s is gone (%s); looking it up",
		    c->label, c->ctx->record_id, *why);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zid);
	free(rid);
	free(body);
	return ret;
}

/*
 * Find the record set by name and type and create it, replace its values,
 * or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct hw *c, char **why)
{
	struct http_resp resp;
	struct hw_rec	 have;
	const char	*kv[5];
	char		*zid = NULL, *q = NULL, *path = NULL, *body = NULL;
	char		*inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zid, why)) != OUT_CURRENT)
		goto out;
	kv[0] = "name";
	kv[1] = c->fqdn;
	kv[2] = "type";
	kv[3] = c->type;
	kv[4] = NULL;
	if ((q = crypto_canonical_query(kv)) == NULL ||
	    (path = xasprintf("/v2/zones/%s/recordsets?%s", zid, q)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = hw_call(c, "GET", path, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = hw_parse_recordsets(resp.status, resp.body, c->fqdn, c->type,
	    &have, &count, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(c, out, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu record sets of that name and type; "
		    "updating %s only", c->label, count, have.id);
	if (count > 0 && hw_rec_current(&have, c->address, c->rec->ttl)) {
		log_info("%s: record set %s already holds %s", c->label,
		    have.id, c->address);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s", zid,
		    have.id)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (count > 0 && have.nvalues > 1)
		log_warnx("%s: record set %s holds %zu values; replacing them "
		    "with %s", c->label, have.id, have.nvalues, c->address);
	/* Keep the TTL the record set has unless one is configured. */
	ttl = c->rec->ttl > 0 ? c->rec->ttl : count > 0 ? have.ttl : 0;
	if ((body = hw_build_body(c->fqdn, c->type, ttl, c->address)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = hw_write(c, zid, count > 0 ? have.id : NULL, body, why);
out:
	hw_rec_free(&have);
	free(zid);
	free(q);
	free(path);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct hw	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = hw_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A PUT through the stored id tells us nothing when the record
	 * should hold addr already (forced, stale): then look instead. */
	if (ctx->record_id != NULL && !(ctx->address != NULL &&
	    strcmp(ctx->address, addr->text) == 0) &&
	    (r = update_known(&c, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&c, why);
out:
	hw_done(&c);
	return out;
}

/* NULL if rec's keys can work, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	const char	*ep, *region, *bad;

	if ((ep = rec_str(rec, "endpoint")) != NULL &&
	    (bad = endpoint_bad(ep)) != NULL)
		return xasprintf("huaweicloud: endpoint \"%s\" %s", ep, bad);
	if ((region = rec_str(rec, "region")) != NULL && !region_ok(region))
		return xasprintf("huaweicloud: region \"%s\" is not a region "
		    "name such as %s", region, HW_REGION);
	return NULL;
}

const struct provider provider_huaweicloud = {
	.name = "huaweicloud",
	.keys = keys,
	.push = push,
	.check = check,
};
