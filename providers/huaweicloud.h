/*
 * huaweicloud: the pure parts of the Huawei Cloud DNS provider (the
 * SDK-HMAC-SHA256 signer, reply parsing, request bodies), exported so unit
 * tests can feed them the vendor's example and recorded replies.
 */
#ifndef HUAWEICLOUD_H
#define HUAWEICLOUD_H

#include "../ddnsup.h"

/* A record set as Huawei Cloud holds it (the fields we compare). */
struct hw_rec {
	char	*id;
	long	 ttl;		/* 0 when unknown */
	char	**values;	/* "records", NULL-ended */
	size_t	 nvalues;
};

/*
 * The canonical request of SDK-HMAC-SHA256 for method, url
 * ("scheme://host[:port]/path[?query]"), headers ("Name: value",
 * NULL-ended; every one is signed) and the body: path segments decoded
 * and re-encoded (RFC 3986) and ending in "/", the query decoded,
 * sorted and re-encoded, header names lower-cased and values trimmed.
 * *signed_headers gets "name;name;..." (sorted). Both malloc'd (caller
 * frees); NULL on a malformed url or header, or out of memory.
 */
char		*hw_canonical_request(const char *method, const char *url,
		    const char *const *headers, const char *body,
		    size_t bodylen, char **signed_headers);

/*
 * The Authorization value "SDK-HMAC-SHA256 Access=<ak>,
 * SignedHeaders=<names>, Signature=<hex>" for the request. The signing
 * time is that of the X-Sdk-Date header ("YYYYMMDDTHHMMSSZ"), which must
 * be among headers. Malloc'd (caller frees); NULL on failure.
 */
char		*hw_sign(const char *method, const char *url,
		    const char *const *headers, const char *body,
		    size_t bodylen, const char *ak, const char *sk);

/*
 * What an error reply means: a DNS {"code","message"} or API gateway
 * {"error_code","error_msg"} body, else the status alone. Returns the
 * outcome with *why malloc'd ("HTTP 401: APIGW.0301 ...; hint"); *code
 * (may be NULL) gets the vendor's code, malloc'd, or NULL. *throttled is
 * set to 1 for a flow-control answer.
 */
enum outcome	 hw_error(long status, const char *body, char **code,
		    int *throttled, char **why);

/* The reply to GET /v2/zones. OUT_CURRENT with *zone_id the malloc'd id
 * of the public zone called zone (with or without the final dot), or
 * NULL when there is none; else an error outcome with *why (caller frees
 * both). */
enum outcome	 hw_parse_zones(long status, const char *body,
		    const char *zone, char **zone_id, char **why);

/* The reply to GET recordsets. OUT_CURRENT with *count record sets named
 * name (exactly: the API matches fuzzily) of type type, the first in
 * *first (caller hw_rec_free()s; zeroed when *count is 0); else an error
 * outcome with *why (caller frees). */
enum outcome	 hw_parse_recordsets(long status, const char *body,
		    const char *name, const char *type, struct hw_rec *first,
		    size_t *count, char **why);

/* The reply to POST or PUT of a record set. OUT_UPDATED with *id the
 * malloc'd id of the record set; else an error outcome with *why (caller
 * frees both). */
enum outcome	 hw_parse_write(long status, const char *body, char **id,
		    char **why);

/* The body {"name":"<name>.","type","ttl","records":[address]} (no ttl
 * when ttl is 0); malloc'd, NULL on failure. */
char		*hw_build_body(const char *name, const char *type, long ttl,
		    const char *address);

/* 1 if have is exactly the one value address (and ttl when ttl > 0),
 * else 0. */
int		 hw_rec_current(const struct hw_rec *have, const char *address,
		    long ttl);

/* Split a stored "<zone_id>/<recordset_id>" into two malloc'd strings
 * (caller frees); 0, or -1 if malformed or out of memory. */
int		 hw_split_id(const char *stored, char **zone_id,
		    char **record_id);

void		 hw_rec_free(struct hw_rec *);

#endif /* HUAWEICLOUD_H */
