/*
 * volcengine: the pure parts of the Volcengine TrafficRoute DNS provider
 * (HMAC-SHA256 signing, request bodies, reply parsing), exported so unit
 * tests can check them with the vendor's published example and recorded
 * replies.
 */
#ifndef VOLCENGINE_H
#define VOLCENGINE_H

#include "../ddnsup.h"

#define VOLC_CTYPE	"application/json"

/*
 * The Volcengine HMAC-SHA256 signature of a request: method to host with
 * the canonical query string query (sorted, RFC 3986, as
 * crypto_canonical_query() makes it; "" for none), content type ctype and
 * body[len], at Unix time ts, for region and service. Signed headers are
 * content-type;host;x-content-sha256;x-date, values trimmed (not
 * lower-cased). 64 lower-case hex digits in sig; 0, or -1 on failure.
 */
int		 volc_sign(const char *secret_key, const char *region,
		    const char *service, const char *method, const char *host,
		    const char *query, const char *ctype, const char *body,
		    size_t len, time_t ts, char sig[65]);

/* The Authorization header value ("HMAC-SHA256 Credential=AK/date/
 * region/service/request, SignedHeaders=..., Signature=..."); malloc'd,
 * caller frees; NULL on failure. */
char		*volc_authorization(const char *access_key,
		    const char *secret_key, const char *region,
		    const char *service, const char *method, const char *host,
		    const char *query, const char *ctype, const char *body,
		    size_t len, time_t ts);

/* A record as ListRecords returns it (the fields we compare). */
struct volc_rec {
	char	*id;		/* RecordID */
	char	*value;
	char	*line;
	long	 ttl;
};

/*
 * Read a reply {"ResponseMetadata":{...},"Result":{...}}. OUT_CURRENT
 * with *result a borrowed reference into *root (caller json_decref(*root);
 * *result may be NULL when the reply has none) when there is no Error.
 * Otherwise the outcome the error means, *root NULL, *why a malloc'd
 * reason quoting the code and message with a hint, *retry the seconds to
 * wait (0 if none), *hold 1 for a refusal that will not go away by
 * itself, and *code the error code (malloc'd, or NULL).
 */
enum outcome	 volc_reply(long status, const char *body, json_t **root,
		    json_t **result, char **code, long *retry, int *hold,
		    char **why);

/* The ZID of the zone called zone in a ListZones Result, in decimal,
 * into *zid (malloc'd; NULL when the list has no such zone). 0, or -1
 * with *why when the list is malformed. */
int		 volc_parse_zones(json_t *result, const char *zone,
		    char **zid, char **why);

/*
 * The ListRecords Result: the first record called host of type type on
 * line into *have (caller volc_rec_free()s), *count the number that
 * match. 0, or -1 with *why when the list is malformed.
 */
int		 volc_parse_list(json_t *result, const char *host,
		    const char *type, const char *line, struct volc_rec *have,
		    size_t *count, char **why);

/* The RecordID of a CreateRecord/UpdateRecord Result, malloc'd; NULL
 * when absent (*why set) or on ENOMEM. */
char		*volc_parse_id(json_t *result, char **why);

/* A CreateRecord body (record_id NULL; zid the decimal ZID) or an
 * UpdateRecord body (record_id set, zid ignored); compact JSON, malloc'd,
 * NULL on ENOMEM or a zid that is not a number. ttl 0 leaves TTL out. */
char		*volc_body_write(const char *zid, const char *host,
		    const char *type, const char *line, const char *value,
		    long ttl, const char *record_id);

void		 volc_rec_free(struct volc_rec *);

#endif /* VOLCENGINE_H */
