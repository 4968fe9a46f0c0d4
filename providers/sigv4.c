/*
 * sigv4: AWS Signature Version 4, header form, for any AWS service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * Verified against every case of the official suite (awslabs/aws-c-auth,
 * tests/fixtures/aws-sigv4-suite, run by tests/unit/test_sigv4.c).
 *
 * Quirks handled:
 * - Not libcurl's CURLOPT_AWS_SIGV4: curl 7.88 does not sort the query.
 * - The path is encoded once more as sent (non-S3 services sign the
 *   "double-encoded" path): "/a b" and "/a%20b" differ.
 * - The query is decoded and encoded again before sorting, so a raw
 *   "ሴ" and "%E1%88%B4" sign alike; "+" is a plus, not a space; a key
 *   without "=" signs as "key=". Sorted by encoded key, then value.
 * - Header names are lower-cased, values trimmed and every run of
 *   blanks (folded lines included) made one space; repeated headers are
 *   joined with "," in the order given.
 * - Dot segments and empty segments are removed from the path unless
 *   SIGV4_NO_NORMALIZE (S3 signs the path as is).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../ddnsup.h"
#include "sigv4.h"

#define ALGO	"AWS4-HMAC-SHA256"

/* A growing string. */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

/* Append n bytes of p to b; on failure b->oom is set and b is kept. */
static void
buf_add(struct buf *b, const char *p, size_t n)
{
	char	*ns;
	size_t	 cap;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append the string s to b. */
static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* The string b holds (malloc'd, caller frees), or NULL if it ran out of
 * memory; b is emptied either way. */
static char *
buf_take(struct buf *b)
{
	char	*s = b->s;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (s == NULL)
		s = strdup("");
	memset(b, 0, sizeof(*b));
	return s;
}

/* 1 if c is RFC 3986 unreserved, else 0. */
static int
unreserved(unsigned char c)
{
	return (c < 0x80 && isalnum(c)) || c == '-' || c == '_' ||
	    c == '.' || c == '~';
}

/* Append n bytes of p to b percent-encoded, keeping unreserved bytes and
 * '/' too if keepslash. */
static void
buf_enc(struct buf *b, const char *p, size_t n, int keepslash)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char	 c;
	char		 esc[3];
	size_t		 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (unreserved(c) || (keepslash && c == '/'))
			buf_add(b, (const char *)&p[i], 1);
		else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 0xf];
			buf_add(b, esc, 3);
		}
	}
}

/* The value of hex digit c, or -1. */
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

/* Percent-decode n bytes of p into a new string (malloc'd, caller frees;
 * NULL on ENOMEM); a '%' not followed by two hex digits stays as is. */
static char *
pctdec(const char *p, size_t n, size_t *outlen)
{
	char	*d;
	size_t	 i, j = 0;
	int	 hi, lo;

	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)p[i + 1])) != -1 &&
		    (lo = hexval((unsigned char)p[i + 2])) != -1) {
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[j++] = p[i];
	}
	d[j] = '\0';
	*outlen = j;
	return d;
}

/* Canonical path; see sigv4.h. */
char *
sigv4_canonical_path(const char *path, int flags)
{
	struct buf	 b;
	const char	**seg = NULL, *p, *e;
	size_t		*len = NULL, n = 0, i, plen;
	int		 trail;

	memset(&b, 0, sizeof(b));
	if (path == NULL || *path == '\0')
		path = "/";
	if (flags & SIGV4_NO_NORMALIZE) {
		buf_enc(&b, path, strlen(path), 1);
		return buf_take(&b);
	}
	plen = strlen(path);
	/* At most one segment per byte. */
	if ((seg = calloc(plen + 1, sizeof(*seg))) == NULL ||
	    (len = calloc(plen + 1, sizeof(*len))) == NULL) {
		free(seg);
		return NULL;
	}
	trail = 0;
	for (p = path; *p != '\0'; p = *e == '/' ? e + 1 : e) {
		if ((e = strchr(p, '/')) == NULL)
			e = p + strlen(p);
		trail = *e == '/' || (e - p == 1 && p[0] == '.') ||
		    (e - p == 2 && p[0] == '.' && p[1] == '.');
		if (e == p || (e - p == 1 && p[0] == '.'))
			continue;
		if (e - p == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
			continue;
		}
		seg[n] = p;
		len[n++] = e - p;
		if (*e == '\0')
			break;
	}
	buf_str(&b, "/");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_str(&b, "/");
		buf_enc(&b, seg[i], len[i], 0);
	}
	if (n > 0 && trail)
		buf_str(&b, "/");
	free(seg);
	free(len);
	return buf_take(&b);
}

/* One query parameter, encoded. */
struct param {
	char	*k;
	char	*v;
};

/* qsort order of parameters: by key, then value, bytewise. */
static int
param_cmp(const void *a, const void *b)
{
	const struct param	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->k, y->k)) != 0)
		return c;
	return strcmp(x->v, y->v);
}

/* The canonical form of n bytes of p: decoded, then encoded (malloc'd,
 * NULL on ENOMEM). */
static char *
reencode(const char *p, size_t n)
{
	struct buf	 b;
	char		*d;
	size_t		 dl;

	memset(&b, 0, sizeof(b));
	if ((d = pctdec(p, n, &dl)) == NULL)
		return NULL;
	buf_enc(&b, d, dl, 0);
	free(d);
	return buf_take(&b);
}

/* Canonical query; see sigv4.h. */
char *
sigv4_canonical_query(const char *query)
{
	struct buf	 b;
	struct param	*ps;
	const char	*p, *e, *eq;
	size_t		 n = 0, i;
	int		 oom = 0;

	memset(&b, 0, sizeof(b));
	if (query == NULL || *query == '\0')
		return strdup("");
	if ((ps = calloc(strlen(query) + 1, sizeof(*ps))) == NULL)
		return NULL;
	for (p = query; *p != '\0'; p = *e == '&' ? e + 1 : e) {
		if ((e = strchr(p, '&')) == NULL)
			e = p + strlen(p);
		if (e == p)
			continue;
		if ((eq = memchr(p, '=', e - p)) == NULL)
			eq = e;
		ps[n].k = reencode(p, eq - p);
		ps[n].v = eq < e ? reencode(eq + 1, e - eq - 1) : strdup("");
		if (ps[n].k == NULL || ps[n].v == NULL)
			oom = 1;
		n++;
	}
	if (!oom) {
		qsort(ps, n, sizeof(*ps), param_cmp);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_str(&b, "&");
			buf_str(&b, ps[i].k);
			buf_str(&b, "=");
			buf_str(&b, ps[i].v);
		}
	}
	for (i = 0; i < n; i++) {
		free(ps[i].k);
		free(ps[i].v);
	}
	free(ps);
	if (oom) {
		free(b.s);
		return NULL;
	}
	return buf_take(&b);
}

/* A canonical header: lower-case name and its joined value. */
struct hdr {
	char		*name;
	struct buf	 val;
};

/* qsort order of headers: by name. */
static int
hdr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hdr *)a)->name,
	    ((const struct hdr *)b)->name);
}

/* Append value v to h, trimmed, blank runs made one space, after a ","
 * if h holds one already. */
static void
hdr_value(struct hdr *h, const char *v)
{
	const char	*p;
	int		 blank = 0, any = 0;

	if (h->val.s != NULL)
		buf_str(&h->val, ",");
	else
		buf_str(&h->val, "");
	for (p = v; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			blank = 1;
			continue;
		}
		if (blank && any)
			buf_str(&h->val, " ");
		blank = 0;
		any = 1;
		buf_add(&h->val, p, 1);
	}
}

/*
 * Add header name (n bytes, any case) with value v to the n_h headers in
 * hs (room for one more), merging with one of the same name. 0, or -1 on
 * ENOMEM.
 */
static int
hdr_add(struct hdr *hs, size_t *n_h, const char *name, size_t n,
    const char *v)
{
	struct hdr	*h = NULL;
	char		*lc;
	size_t		 i;

	if ((lc = malloc(n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		lc[i] = (char)tolower((unsigned char)name[i]);
	lc[n] = '\0';
	for (i = 0; i < *n_h; i++)
		if (strcmp(hs[i].name, lc) == 0) {
			h = &hs[i];
			free(lc);
			break;
		}
	if (h == NULL) {
		h = &hs[(*n_h)++];
		h->name = lc;
	}
	hdr_value(h, v);
	return h->val.oom ? -1 : 0;
}

/* 1 if s has a control character other than tab/CR/LF folding, else 0. */
static int
bad_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t' && *s != '\r' &&
		    *s != '\n') || *s == 0x7f)
			return 1;
	return 0;
}

/* HMAC-SHA256 of the string s under key (klen bytes) into out; 0/-1. */
static int
hmac_str(const unsigned char *key, size_t klen, const char *s,
    unsigned char out[32])
{
	return crypto_hmac(0, key, klen, s, strlen(s), out) == 32 ? 0 : -1;
}

/* Sign; see sigv4.h. */
int
sigv4_sign(const struct sigv4_req *req, const struct sigv4_cred *cred,
    const char *region, const char *service, time_t now, int flags,
    struct sigv4 *out)
{
	struct hdr	*hs = NULL;
	struct buf	 b;
	char		 amzdate[20], day[12], phash[65], crhash[65];
	char		*path = NULL, *query = NULL, *scope = NULL, *k4 = NULL;
	const char	*colon, *nm;
	unsigned char	 key[32];
	size_t		 nh = 0, i, n, nlen;
	int		 ret = -1, host = 0;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	if (req->method == NULL || cred->access_key == NULL ||
	    cred->secret == NULL || region == NULL || service == NULL ||
	    bad_ctl(cred->access_key) || (cred->token != NULL &&
	    bad_ctl(cred->token)))
		return -1;
	crypto_utc(now, "%Y%m%dT%H%M%SZ", amzdate, sizeof(amzdate));
	crypto_utc(now, "%Y%m%d", day, sizeof(day));
	crypto_sha256_hex(req->payload != NULL ? req->payload : "",
	    req->payload != NULL ? req->paylen : 0, phash);

	for (n = 0; req->headers != NULL && req->headers[n] != NULL; n++)
		;
	if ((hs = calloc(n + 3, sizeof(*hs))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		nm = req->headers[i];
		if ((colon = strchr(nm, ':')) == NULL || bad_ctl(nm))
			goto out;
		nlen = colon - nm;
		while (nlen > 0 && (nm[nlen - 1] == ' ' || nm[nlen - 1] == '\t'))
			nlen--;
		while (nlen > 0 && (*nm == ' ' || *nm == '\t')) {
			nm++;
			nlen--;
		}
		if (nlen == 0)
			goto out;
		/* The signer sets these: a second copy would be joined. */
		if ((nlen == 10 && strncasecmp(nm, "x-amz-date", 10) == 0) ||
		    (nlen == 13 && strncasecmp(nm, "authorization", 13) == 0) ||
		    (nlen == 20 && strncasecmp(nm, "x-amz-security-token",
		    20) == 0) || (nlen == 20 && strncasecmp(nm,
		    "x-amz-content-sha256", 20) == 0))
			goto out;
		if (nlen == 4 && strncasecmp(nm, "host", 4) == 0)
			host = 1;
		if (hdr_add(hs, &nh, nm, nlen, colon + 1) == -1)
			goto out;
	}
	if (!host)
		goto out;
	if (hdr_add(hs, &nh, "x-amz-date", 10, amzdate) == -1 ||
	    (cred->token != NULL && !(flags & SIGV4_OMIT_TOKEN) &&
	    hdr_add(hs, &nh, "x-amz-security-token", 20, cred->token) == -1) ||
	    ((flags & SIGV4_SIGN_BODY) && hdr_add(hs, &nh,
	    "x-amz-content-sha256", 20, phash) == -1))
		goto out;
	qsort(hs, nh, sizeof(*hs), hdr_cmp);

	/* The canonical request. */
	if ((path = sigv4_canonical_path(req->path, flags)) == NULL ||
	    (query = sigv4_canonical_query(req->query)) == NULL)
		goto out;
	buf_str(&b, req->method);
	buf_str(&b, "\n");
	buf_str(&b, path);
	buf_str(&b, "\n");
	buf_str(&b, query);
	buf_str(&b, "\n");
	for (i = 0; i < nh; i++) {
		buf_str(&b, hs[i].name);
		buf_str(&b, ":");
		buf_str(&b, hs[i].val.s);
		buf_str(&b, "\n");
	}
	buf_str(&b, "\n");
	for (i = 0; i < nh; i++) {
		if (i > 0)
			buf_str(&b, ";");
		buf_str(&b, hs[i].name);
	}
	buf_str(&b, "\n");
	buf_str(&b, phash);
	if ((out->canonical = buf_take(&b)) == NULL)
		goto out;

	/* The string to sign and the key. */
	crypto_sha256_hex(out->canonical, strlen(out->canonical), crhash);
	if ((scope = xasprintf("%s/%s/%s/aws4_request", day, region,
	    service)) == NULL || (out->to_sign = xasprintf("%s\n%s\n%s\n%s",
	    ALGO, amzdate, scope, crhash)) == NULL ||
	    (k4 = xasprintf("AWS4%s", cred->secret)) == NULL)
		goto out;
	if (hmac_str((unsigned char *)k4, strlen(k4), day, key) == -1 ||
	    hmac_str(key, 32, region, key) == -1 ||
	    hmac_str(key, 32, service, key) == -1 ||
	    hmac_str(key, 32, "aws4_request", key) == -1 ||
	    hmac_str(key, 32, out->to_sign, key) == -1)
		goto out;
	crypto_hex(key, 32, out->signature);

	/* The headers to send. */
	n = 0;
	if ((out->add[n++] = xasprintf("X-Amz-Date: %s", amzdate)) == NULL)
		goto out;
	if (cred->token != NULL && (out->add[n++] = xasprintf(
	    "X-Amz-Security-Token: %s", cred->token)) == NULL)
		goto out;
	if ((flags & SIGV4_SIGN_BODY) && (out->add[n++] = xasprintf(
	    "X-Amz-Content-Sha256: %s", phash)) == NULL)
		goto out;
	buf_str(&b, "Authorization: " ALGO " Credential=");
	buf_str(&b, cred->access_key);
	buf_str(&b, "/");
	buf_str(&b, scope);
	buf_str(&b, ", SignedHeaders=");
	for (i = 0; i < nh; i++) {
		if (i > 0)
			buf_str(&b, ";");
		buf_str(&b, hs[i].name);
	}
	buf_str(&b, ", Signature=");
	buf_str(&b, out->signature);
	if ((out->add[n] = buf_take(&b)) == NULL)
		goto out;
	ret = 0;
out:
	for (i = 0; hs != NULL && i < nh; i++) {
		free(hs[i].name);
		free(hs[i].val.s);
	}
	free(hs);
	free(b.s);
	free(path);
	free(query);
	free(scope);
	if (k4 != NULL) {
		explicit_bzero(k4, strlen(k4));
		free(k4);
	}
	explicit_bzero(key, sizeof(key));
	if (ret == -1)
		sigv4_free(out);
	return ret;
}

/* Free what sigv4_sign() filled and zero it; safe on a zeroed struct. */
void
sigv4_free(struct sigv4 *s)
{
	size_t	 i;

	free(s->canonical);
	free(s->to_sign);
	for (i = 0; i < sizeof(s->add) / sizeof(s->add[0]); i++)
		free(s->add[i]);
	memset(s, 0, sizeof(*s));
}
