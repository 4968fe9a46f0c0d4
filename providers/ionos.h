/*
 * ionos: the pure parts of the IONOS DNS API provider (key handling,
 * reply reading, request bodies), exported so unit tests can feed them
 * the examples of IONOS's published OpenAPI document (DNS API 1.0.2).
 */
#ifndef IONOS_H
#define IONOS_H

#include "../ddnsup.h"

/* A record as IONOS holds it (the fields we compare). */
struct ionos_rec {
	char	*id;		/* a UUID */
	char	*content;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The X-API-Key value from the configured keys: api_key
 * ("<public prefix>.<secret>"), or prefix and secret apart; exactly one of
 * the two ways. 0 with *key ("prefix.secret") and *pub (the public prefix)
 * malloc'd, or -1 with *why (malloc'd) saying what is wrong; nothing in
 * *why quotes the secret.
 */
int		 ionos_api_key(const char *api_key, const char *prefix,
		    const char *secret, char **key, char **pub, char **why);

/* 1 if s can be an IONOS zone or record id in a URL path (1-64 letters,
 * digits and '-'), else 0. */
int		 ionos_id_ok(const char *s);

/*
 * Read a reply. OUT_CURRENT when status is 2xx: *root is the JSON body
 * (caller json_decref()s), NULL when the body is empty. Otherwise the
 * outcome the reply means, *root NULL and *why malloc'd, such as
 * "HTTP 401: UNAUTHORIZED: The customer is not authorized to do this
 * operation. (check api_key: ...)" (caller frees).
 */
enum outcome	 ionos_reply(long status, const char *body, json_t **root,
		    char **why);

/*
 * The reply to GET /v1/zones: 1 with *id (malloc'd) when it lists the
 * zone name (any case), 0 when it does not, -1 with *why (malloc'd) when
 * it is not shaped as documented.
 */
int		 ionos_zone_in_list(json_t *list, const char *name, char **id,
		    char **why);

/*
 * The reply to GET /v1/zones/{id}?recordName=&recordType=: the records
 * named fqdn (any case) of type. 0 with *count of them and the first in
 * *first (caller ionos_rec_free()s; zeroed when none), or -1 with *why
 * (malloc'd) if the reply is malformed.
 */
int		 ionos_parse_records(json_t *zone, const char *fqdn,
		    const char *type, struct ionos_rec *first, size_t *count,
		    char **why);

/* The id of the first record in the reply to POST .../records (an array
 * of records) or PUT .../records/{id} (one record), malloc'd; NULL if
 * there is none that ionos_id_ok(). */
char		*ionos_parse_written(json_t *root);

/* The POST .../records body creating one record (ttl 3600 when 0),
 * malloc'd; NULL when out of memory. */
char		*ionos_build_create(const char *fqdn, const char *type,
		    const char *content, long ttl);

/* The PUT .../records/{id} body: content, and ttl when > 0; malloc'd,
 * NULL when out of memory. */
char		*ionos_build_update(const char *content, long ttl);

/* 1 if the record holds content (as an address: any spelling) and, when
 * ttl > 0, that ttl; else 0. */
int		 ionos_is_current(const struct ionos_rec *have,
		    const char *content, long ttl);

void		 ionos_rec_free(struct ionos_rec *);

#endif /* IONOS_H */
