/*
 * baiducloud: the pure parts of the Baidu AI Cloud DNS provider (the
 * bce-auth-v1 signer, request building, reply parsing), exported so unit
 * tests can check them against Baidu's published example and recorded
 * replies.
 */
#ifndef BAIDUCLOUD_H
#define BAIDUCLOUD_H

#include "../ddnsup.h"

#define BAIDUCLOUD_EXPIRES	1800	/* seconds a signature is valid */

/*
 * The derived signing key: hex HMAC-SHA256(secret, prefix), prefix being
 * "bce-auth-v1/{ak}/{timestamp}/{expires}", into key (65 bytes with the
 * NUL). 0, or -1 on failure.
 */
int		 baiducloud_signing_key(const char *prefix, const char *secret,
		    char key[65]);

/*
 * bce-auth-v1. The canonical request is method, the path encoded with '/'
 * kept, the query pairs kv ("k","v",...,NULL: each side RFC 3986-encoded,
 * "k=v" sorted, "authorization" left out, an empty value as "k="), and
 * every header in hdrs ("Name","value",...,NULL: lower-cased name, value
 * trimmed, both encoded, "name:value" lines sorted), all joined by "\n".
 * Every header in hdrs is signed. timestamp is "YYYY-MM-DDTHH:MM:SSZ".
 * Returns the Authorization value
 * "bce-auth-v1/{ak}/{timestamp}/{expires}/{signed;headers}/{signature}",
 * malloc'd (caller frees), or NULL on failure. If canon is not NULL it
 * receives the canonical request (malloc'd, caller frees).
 */
char		*baiducloud_sign(const char *method, const char *path,
		    const char *const *kv, const char *const *hdrs,
		    const char *akid, const char *secret, const char *timestamp,
		    long expires, char **canon);

/* A request ready for http_request(). */
struct baiducloud_call {
	char		*url;		/* base + encoded path + "?" query */
	char		*hdr[8];	/* header lines, NULL-ended */
};

/*
 * Build method to path (not yet encoded, e.g. "/v1/dns/zone/example.com/
 * record") with query kv and a JSON body (NULL: none), signed at time now
 * over host, x-bce-date and, with a body, content-type. base is
 * "scheme://authority", host the authority. 0 with *c filled (caller
 * baiducloud_call_free()s), -1 on allocation failure.
 */
int		 baiducloud_build(const char *method, const char *base,
		    const char *host, const char *path, const char *const *kv,
		    const char *body, const char *akid, const char *secret,
		    time_t now, struct baiducloud_call *c);
void		 baiducloud_call_free(struct baiducloud_call *);

/* The outcome an error code means (status: the HTTP status it came with,
 * for codes we do not know). */
enum outcome	 baiducloud_code_outcome(const char *code, long status);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is empty (the
 * writes answer nothing: *root NULL) or a JSON object (*root, caller
 * json_decref()s). Otherwise the outcome it means, *root NULL, *code the
 * vendor's error code (malloc'd or NULL) and *why a malloc'd reason such
 * as "HTTP 400: SignatureDoesNotMatch: The request signature ... (hint)".
 * Caller frees *code and *why.
 */
enum outcome	 baiducloud_reply(long status, const char *body,
		    json_t **root, char **code, char **why);

/* A record as the list call shows it (the fields we use). */
struct baiducloud_rec {
	char		*id;
	char		*value;
	long		 ttl;		/* 0 when absent */
};

/*
 * The reply to a record list: OUT_CURRENT with *count more records whose
 * rr, type and line (absent: "default") match, the first of all in
 * *first if it was still empty (caller baiducloud_rec_free()s), and
 * *next the nextMarker to ask for when the list is truncated (malloc'd,
 * else NULL). Else an error outcome with *code and *why as
 * baiducloud_reply() sets them.
 */
enum outcome	 baiducloud_parse_records(long status, const char *body,
		    const char *rr, const char *type, const char *line,
		    struct baiducloud_rec *first, size_t *count, char **next,
		    char **code, char **why);

/* 1 if code says the record is already there as asked, else 0. */
int		 baiducloud_dup_code(const char *code);

void		 baiducloud_rec_free(struct baiducloud_rec *);

#endif /* BAIDUCLOUD_H */
