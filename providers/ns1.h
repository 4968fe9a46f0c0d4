/*
 * ns1: the pure parts of the NS1 (IBM NS1 Connect) provider (reply
 * reading, request bodies), exported so unit tests can feed them the
 * replies NS1's API reference shows.
 */
#ifndef NS1_H
#define NS1_H

#include "../ddnsup.h"

/* A record as NS1 holds it (the fields we compare). */
struct ns1_rec {
	char	*answer;	/* rdata of the first answer, malloc'd */
	size_t	 nanswers;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object: *root is it (caller json_decref()s). Otherwise the outcome the
 * reply means, *root NULL and *why malloc'd, such as "HTTP 401:
 * Unauthorized (check api_key: ...)" (caller frees).
 */
enum outcome	 ns1_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /v1/zones/{zone}: 1 if it describes zone, 0 if it
 * names another, -1 if it is not shaped as documented. */
int		 ns1_parse_zone(json_t *root, const char *zone);

/*
 * The reply to GET /v1/zones/{zone}/{domain}/{type}: 0 with *r filled
 * (caller ns1_rec_free()s), or -1 with *why (malloc'd) when the reply is
 * not that record or is malformed.
 */
int		 ns1_parse_record(json_t *root, const char *domain,
		    const char *type, struct ns1_rec *r, char **why);

/* 1 if have already holds exactly data (and ttl when > 0), else 0. */
int		 ns1_current(const struct ns1_rec *have, const char *data,
		    long ttl);

/*
 * The body of a create (PUT, create 1: zone, domain, type, answers, and
 * ttl when > 0) or of an update (POST: answers, and ttl when > 0); NULL
 * on allocation failure, else malloc'd.
 */
char		*ns1_build_body(int create, const char *zone,
		    const char *domain, const char *type, const char *data,
		    long ttl);

void		 ns1_rec_free(struct ns1_rec *);

#endif /* NS1_H */
