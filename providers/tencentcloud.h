/*
 * tencentcloud: the pure parts of the Tencent Cloud DNSPod API 3.0
 * provider (TC3-HMAC-SHA256 signing, request bodies, reply parsing),
 * exported so unit tests can check them with the vendor's vectors and
 * recorded replies.
 */
#ifndef TENCENTCLOUD_H
#define TENCENTCLOUD_H

#include "../ddnsup.h"

#define TC_CTYPE	"application/json; charset=utf-8"

/*
 * The TC3-HMAC-SHA256 signature of a POST to host with content type ctype
 * and body[len] for service at Unix time ts, as 64 lower-case hex digits
 * in sig. Header values are trimmed and lower-cased as the vendor's
 * canonical form requires; signed headers are content-type;host.
 * 0, or -1 on failure.
 */
int		 tc3_sign(const char *secret_key, const char *service,
		    const char *host, const char *ctype, const char *body,
		    size_t len, time_t ts, char sig[65]);

/* The whole Authorization header value ("TC3-HMAC-SHA256 Credential=...,
 * SignedHeaders=content-type;host, Signature=..."); malloc'd, caller
 * frees; NULL on failure. */
char		*tc3_authorization(const char *secret_id,
		    const char *secret_key, const char *service,
		    const char *host, const char *ctype, const char *body,
		    size_t len, time_t ts);

/*
 * tc_reply() for any TC3 API: perm is the hint shown when the key lacks
 * permission (" (the CAM user ... grant it the ... policy)").
 */
enum outcome	 tc_reply_perm(const char *perm, long status,
		    const char *body, json_t **root, json_t **response,
		    char **code, long *retry, int *hold, char **why);

/*
 * Split an endpoint "http(s)://host[:port][/]" into the Host header to
 * send and sign (no userinfo, no default port, lower case) and the URL
 * with a path of "/". 0 with both malloc'd, or -1 (nothing allocated).
 */
int		 tc_endpoint(const char *url, char **host, char **urlout);

/* Where and as whom to call a TC3-signed API (all borrowed). */
struct tc_api {
	const char	*label;		/* prefix of log lines */
	const char	*url;		/* endpoint, ending in '/' */
	const char	*host;		/* Host header, from tc_endpoint() */
	const char	*service;	/* "dnspod", "teo" */
	const char	*version;	/* X-TC-Version */
	const char	*region;	/* X-TC-Region, or NULL */
	const char	*secret_id;
	const char	*secret_key;
	const char	*perm;		/* tc_reply_perm()'s hint */
	int		 insecure;
};

/*
 * Sign (TC3-HMAC-SHA256) and POST one action with the JSON body.
 * OUT_CURRENT with *root (caller json_decref()s) and *response borrowed
 * from it; else an error outcome with *why ("Action: CODE: message
 * (hint)", malloc'd), *code the vendor's code (malloc'd) if any, and
 * ctx's retry_after and hold set.
 */
enum outcome	 tc_api_call(const struct tc_api *api, struct push_ctx *ctx,
		    const char *action, const char *body, json_t **root,
		    json_t **response, char **code, char **why);

/* A record as DescribeRecordList returns it (the fields we compare). */
struct tc_rec {
	char	*id;		/* RecordId in decimal */
	char	*value;
	char	*line;
	long	 ttl;
};

/*
 * Read a reply {"Response":{...}}. OUT_CURRENT with *response a borrowed
 * reference into *root (caller json_decref(*root)) when there is no
 * Error. Otherwise the outcome the error means, *root NULL, *why a
 * malloc'd reason quoting the code and message with a hint, *retry the
 * seconds to wait (0 if none), *hold 1 for a refusal that will not go
 * away by itself, and *code the error code (malloc'd, or NULL).
 */
enum outcome	 tc_reply(long status, const char *body, json_t **root,
		    json_t **response, char **code, long *retry, int *hold,
		    char **why);

/*
 * The DescribeRecordList Response: the first record called sub of type
 * type on line (any line if NULL) into *have (caller tc_rec_free()s),
 * *count the number that match. 0, or -1 with *why when the list is
 * malformed.
 */
int		 tc_parse_list(json_t *response, const char *sub,
		    const char *type, const char *line, struct tc_rec *have,
		    size_t *count, char **why);

/* The RecordId of a CreateRecord/ModifyRecord Response in decimal,
 * malloc'd; NULL when absent (*why set) or on ENOMEM. */
char		*tc_parse_id(json_t *response, char **why);

/* Request bodies (compact JSON, malloc'd, NULL on ENOMEM). ttl 0 leaves
 * TTL out; record_id NULL makes a CreateRecord body. */
char		*tc_body_list(const char *domain, const char *sub,
		    const char *type);
char		*tc_body_write(const char *domain, const char *sub,
		    const char *type, const char *line, const char *value,
		    long ttl, const char *record_id);

void		 tc_rec_free(struct tc_rec *);

#endif /* TENCENTCLOUD_H */
