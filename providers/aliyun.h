/*
 * aliyun: the pure parts of the Alibaba Cloud DNS provider (signers,
 * request building, reply parsing), exported so unit tests can check them
 * against the vendor's published vectors and recorded replies.
 */
#ifndef ALIYUN_H
#define ALIYUN_H

#include "../ddnsup.h"

#define ALIYUN_VERSION	"2015-01-09"

/*
 * ACS3-HMAC-SHA256 (signature V3). The canonical request is built from
 * method, path "/", the query pairs kv ("k","v",...,NULL; sorted and
 * RFC 3986-encoded here), the headers host, x-acs-action,
 * x-acs-content-sha256, x-acs-date, x-acs-signature-nonce, x-acs-version
 * and, when content_type is not NULL, content-type, and hex(sha256(body)).
 * Returns the Authorization header value, malloc'd (caller frees), or NULL
 * on allocation failure. If canon is not NULL it receives the canonical
 * request (malloc'd, caller frees) for diagnostics.
 */
char		*aliyun_sign_v3(const char *method, const char *host,
		    const char *const *kv, const char *action,
		    const char *version, const char *date, const char *nonce,
		    const char *content_type, const char *body, size_t bodylen,
		    const char *akid, const char *secret, char **canon);

/*
 * RPC HMAC-SHA1 (signature V1): base64(HMAC-SHA1(secret + "&",
 * method + "&%2F&" + pctenc(canonical query of kv))). kv holds every
 * parameter but Signature. Returns the base64 signature, malloc'd (caller
 * frees), or NULL on allocation failure.
 */
char		*aliyun_sign_v1(const char *method, const char *const *kv,
		    const char *secret);

/* A request ready for http_request(). */
struct aliyun_call {
	char		*url;		/* endpoint "/?" query */
	char		*hdr[10];	/* header lines, NULL-ended */
};

/*
 * Build the POST for action with the API's own parameters kv (RPC style:
 * every parameter in the query string, empty body), signed with V3, or
 * with V1 when v1 is set, at time now with nonce. base is the endpoint
 * ("https://host[:port]", no trailing '/'), host its authority. 0 with
 * *c filled (caller aliyun_call_free()s), -1 on allocation failure.
 */
int		 aliyun_build(int v1, const char *base, const char *host,
		    const char *action, const char *const *kv,
		    const char *akid, const char *secret, time_t now,
		    const char *nonce, struct aliyun_call *c);
/*
 * The same for another RPC-style Alibaba Cloud API (ESA and the like):
 * method ("POST", "GET") and the API version are the caller's.
 */
int		 aliyun_build_api(const char *method, const char *version,
		    int v1, const char *base, const char *host,
		    const char *action, const char *const *kv,
		    const char *akid, const char *secret, time_t now,
		    const char *nonce, struct aliyun_call *c);
void		 aliyun_call_free(struct aliyun_call *);

/*
 * Split an endpoint ("https://host[:port][/]", or a bare host meaning
 * https) into *base (scheme://authority) and *host (authority, lower
 * case), both malloc'd (caller frees). 0, or -1 if it is not one
 * (nothing allocated).
 */
int		 aliyun_endpoint(const char *ep, char **base, char **host);

/* The outcome an error Code means (status: the HTTP status it came
 * with, for codes we do not know). */
enum outcome	 aliyun_code_outcome(const char *code, long status);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object without an error Code: *root holds it (caller json_decref()s).
 * Otherwise the outcome it means, *root NULL, *code the vendor's error
 * code (malloc'd or NULL) and *why a malloc'd reason such as
 * "HTTP 400: SignatureDoesNotMatch: Specified signature ... (hint)".
 * Caller frees *code and *why.
 */
enum outcome	 aliyun_reply(long status, const char *body, json_t **root,
		    char **code, char **why);
/* The same, with perm (if not NULL) as the hint for the missing-permission
 * codes (Forbidden.RAM and the like) instead of alidns's. */
enum outcome	 aliyun_reply_perm(long status, const char *body,
		    json_t **root, char **code, char **why, const char *perm);

/* A record as DescribeSubDomainRecords lists it (the fields we use). */
struct aliyun_rec {
	char		*id;
	char		*value;
	long		 ttl;		/* 0 when absent */
	int		 locked;
};

/*
 * The reply to DescribeSubDomainRecords: OUT_CURRENT with *count records
 * whose RR, Type and Line match rr, type and line, the first in *first
 * (caller aliyun_rec_free()s; zeroed when *count is 0). Else an error
 * outcome with *code and *why as aliyun_reply() sets them.
 */
enum outcome	 aliyun_parse_records(long status, const char *body,
		    const char *rr, const char *type, const char *line,
		    struct aliyun_rec *first, size_t *count, char **code,
		    char **why);

/*
 * The reply to AddDomainRecord or UpdateDomainRecord: OUT_UPDATED with
 * *id the malloc'd RecordId; OUT_CURRENT (*id NULL) for
 * DomainRecordDuplicate (the record already holds the value); else an
 * error outcome with *code and *why. Caller frees all three.
 */
enum outcome	 aliyun_parse_write(long status, const char *body, char **id,
		    char **code, char **why);

void		 aliyun_rec_free(struct aliyun_rec *);

#endif /* ALIYUN_H */
