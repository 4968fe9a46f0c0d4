/*
 * porkbun: the pure parts of the Porkbun API v3 provider (request
 * bodies, reply reading), exported so unit tests can feed them the
 * replies Porkbun's API documentation shows.
 */
#ifndef PORKBUN_H
#define PORKBUN_H

#include "../ddnsup.h"

/* A DNS record as Porkbun holds it (the fields we compare). */
struct pb_rec {
	char	*id;		/* decimal */
	char	*content;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The JSON body of a call: the key pair, and when type is not NULL the
 * record fields name (sub, "" for the apex), type, content and ttl (as a
 * string, as Porkbun's examples send it). Malloc'd; NULL on ENOMEM.
 */
char		*pb_body(const char *apikey, const char *secret,
		    const char *sub, const char *type, const char *content,
		    long ttl);

/*
 * Read a reply {"status":"SUCCESS"|"ERROR","message":...}. OUT_CURRENT
 * when status is 200 and "status" is SUCCESS: *root is the document
 * (caller json_decref()s). Otherwise the outcome it means with *why
 * malloc'd, such as "HTTP 400: Invalid API key. (002) (check api_key
 * ...)", and *hold set for an error a retry cannot mend.
 */
enum outcome	 pb_reply(long status, const char *body, json_t **root,
		    int *hold, char **why);

/*
 * The records of a retrieveByNameType reply named fqdn (case-insensitive)
 * of type type. 0 with *count of them and the first in *first (caller
 * pb_rec_free()s; zeroed when none), or -1 with *why (malloc'd).
 */
int		 pb_parse_records(json_t *root, const char *fqdn,
		    const char *type, struct pb_rec *first, size_t *count,
		    char **why);

/* The "id" of a create reply (number or string), malloc'd; NULL if none. */
char		*pb_parse_id(json_t *root);

void		 pb_rec_free(struct pb_rec *);

#endif /* PORKBUN_H */
