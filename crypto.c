/*
 * Hashes, HMACs and encodings for the providers' request signers, over
 * OpenSSL's libcrypto. Signers take time and nonce as parameters; these
 * helpers only compute, so the vendors' published vectors test them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ddnsup.h"

/* Lower-case hex of in[len] into out (2 * len + 1 bytes). */
void
crypto_hex(const unsigned char *in, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/* hex(SHA-256(data)) into out[65]. */
void
crypto_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	crypto_hex(md, mdlen, out);
}

/* HMAC-SHA256 (sha1 == 0) or HMAC-SHA1 of data under key into out (32 or
 * 20 bytes); returns the length written, 0 on failure. */
size_t
crypto_hmac(int sha1, const void *key, size_t keylen, const void *data,
    size_t len, unsigned char *out)
{
	unsigned int	 n = 0;

	if (HMAC(sha1 ? EVP_sha1() : EVP_sha256(), key, (int)keylen, data, len,
	    out, &n) == NULL)
		return 0;
	return n;
}

/* Standard base64 of in[len]; malloc'd, NULL on failure. */
char *
crypto_base64(const unsigned char *in, size_t len)
{
	char	*out;

	if ((out = malloc(4 * ((len + 2) / 3) + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return out;
}

/* 32 random hex digits for a signature nonce; malloc'd or NULL. */
char *
crypto_nonce(void)
{
	unsigned char	 r[16];
	char		*out;

	if (RAND_bytes(r, sizeof(r)) != 1 || (out = malloc(33)) == NULL)
		return NULL;
	crypto_hex(r, sizeof(r), out);
	return out;
}

/* t as UTC in strftime format fmt into buf[sz]; returns buf. */
char *
crypto_utc(time_t t, const char *fmt, char *buf, size_t sz)
{
	struct tm	 tm;

#ifdef _WIN32
	gmtime_s(&tm, &t);
#else
	gmtime_r(&t, &tm);
#endif
	if (strftime(buf, sz, fmt, &tm) == 0 && sz > 0)
		buf[0] = '\0';
	return buf;
}

static int
kv_cmp(const void *a, const void *b)
{
	const char *const	*x = a, *const *y = b;
	int			 c = strcmp(x[0], y[0]);

	return c != 0 ? c : strcmp(x[1], y[1]);
}

/*
 * The canonical query string most signers use: pairs sorted by encoded
 * name (then value), RFC 3986 percent-encoded, "k=v" joined by "&" ("k="
 * for an empty value). kv is "k", "v", "k", "v", ..., NULL. malloc'd, or
 * NULL on allocation failure.
 */
char *
crypto_canonical_query(const char *const *kv)
{
	char	**enc = NULL, *out = NULL, *p;
	size_t	  n = 0, i, len = 1;

	while (kv[2 * n] != NULL)
		n++;
	if ((enc = calloc(2 * n + 1, sizeof(*enc))) == NULL)
		return NULL;
	for (i = 0; i < 2 * n; i++) {
		if ((enc[i] = http_pctenc(kv[i] ? kv[i] : "")) == NULL)
			goto out;
		len += strlen(enc[i]) + 1;
	}
	qsort(enc, n, 2 * sizeof(*enc), kv_cmp);
	if ((out = malloc(len)) == NULL)
		goto out;
	p = out;
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s=%s", i ? "&" : "", enc[2 * i],
		    enc[2 * i + 1]);
out:
	for (i = 0; i < 2 * n; i++)
		free(enc[i]);
	free(enc);
	return out;
}
