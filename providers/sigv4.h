/*
 * sigv4: AWS Signature Version 4 (header form), pure, for any AWS service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
#ifndef SIGV4_H
#define SIGV4_H

#include <stddef.h>
#include <time.h>

/* The request as it will be sent. */
struct sigv4_req {
	const char	 *method;	/* "GET", "POST", ... */
	const char	 *path;		/* as sent (percent-encoded once) */
	const char	 *query;	/* as sent, no '?'; NULL or "" if none */
	const char *const *headers;	/* "Name:value", NULL-ended; must
					 * hold Host; a value may span lines */
	const void	 *payload;	/* NULL: empty */
	size_t		  paylen;
};

struct sigv4_cred {
	const char	*access_key;
	const char	*secret;
	const char	*token;		/* session token, or NULL */
};

/* Options; 0 is what a non-S3 service (Route 53) wants. */
#define SIGV4_NO_NORMALIZE	0x1	/* keep "." / ".." / "//" in the path */
#define SIGV4_SIGN_BODY		0x2	/* add and sign X-Amz-Content-Sha256 */
#define SIGV4_OMIT_TOKEN	0x4	/* send the token unsigned (STS style) */

/* What signing produced; every string is malloc'd. */
struct sigv4 {
	char	*canonical;	/* the canonical request */
	char	*to_sign;	/* the string to sign */
	char	 signature[65];	/* lower-case hex */
	/* Header lines ("Name: value") the request must carry besides
	 * its own, NULL-ended: X-Amz-Date, X-Amz-Security-Token and
	 * X-Amz-Content-Sha256 when used, and Authorization last. */
	char	*add[5];
};

/*
 * Sign req with cred for region and service at time now. 0 with *out
 * filled (caller sigv4_free()s it), or -1 (bad input: no Host header, a
 * header the signer sets itself, a control character; or out of memory)
 * with *out zeroed.
 */
int		 sigv4_sign(const struct sigv4_req *req,
		    const struct sigv4_cred *cred, const char *region,
		    const char *service, time_t now, int flags,
		    struct sigv4 *out);
void		 sigv4_free(struct sigv4 *);

/* The canonical URI of a path as sent (percent-encoded again, segment
 * by segment; dot segments and empty segments removed unless
 * SIGV4_NO_NORMALIZE). malloc'd, NULL on ENOMEM. */
char		*sigv4_canonical_path(const char *path, int flags);
/* The canonical query string of a query as sent (decoded, re-encoded,
 * sorted by key then value). malloc'd, NULL on ENOMEM. */
char		*sigv4_canonical_query(const char *query);

#endif /* SIGV4_H */
