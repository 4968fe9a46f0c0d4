/*
 * gcore: the pure parts of the Gcore DNS provider (reply reading, request
 * bodies), exported so unit tests can feed them the replies Gcore's DNS
 * API reference shows.
 */
#ifndef GCORE_H
#define GCORE_H

#include "../ddnsup.h"

/* An RRset as Gcore holds it (the fields we compare). */
struct gc_rec {
	char	*answer;	/* content of the first resource record */
	size_t	 nanswers;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object (*root is it, caller json_decref()s) or empty (*root NULL: a
 * write may answer so). Otherwise the outcome the
 * reply means, *root NULL and *why malloc'd, such as "HTTP 401: ...
 * (check api_key: ...)" (caller frees).
 */
enum outcome	 gc_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /v2/zones/{zone}: 1 if it describes zone, 0 if it
 * names another, -1 if it is not shaped as documented. */
int		 gc_parse_zone(json_t *root, const char *zone);

/*
 * The reply to GET /v2/zones/{zone}/{name}/{type}: 0 with *r filled
 * (caller gc_rec_free()s), or -1 with *why (malloc'd) when the reply is
 * not that RRset or is malformed.
 */
int		 gc_parse_record(json_t *root, const char *name,
		    const char *type, struct gc_rec *r, char **why);

/* 1 if have already holds exactly data (and ttl when > 0), else 0. */
int		 gc_current(const struct gc_rec *have, const char *data,
		    long ttl);

/* The body of a create (POST) or replace (PUT): the TTL and one resource
 * record, the address; NULL on allocation failure, else malloc'd. */
char		*gc_build_body(const char *data, long ttl);

void		 gc_rec_free(struct gc_rec *);

#endif /* GCORE_H */
