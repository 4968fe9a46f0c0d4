/*
 * cloudns: the pure parts of the ClouDNS provider (form bodies, reply
 * reading), exported so unit tests can feed them the replies ClouDNS's
 * API documentation shows.
 */
#ifndef CLOUDNS_H
#define CLOUDNS_H

#include "../ddnsup.h"

#define CLOUDNS_ENDPOINT	"https://api.cloudns.net/dns"
#define CLOUDNS_TTL		3600	/* for new records when none is set */

/* A record as ClouDNS lists it (the fields we compare). */
struct cd_rec {
	char	*id;		/* decimal */
	char	*value;		/* "record" */
	long	 ttl;		/* 0 when unknown */
};

/* "k=v&k=v" of kv ("k", "v", ..., NULL), values percent-encoded, in the
 * order given. Malloc'd, caller frees; NULL when out of memory. */
char		*cloudns_form(const char *const *kv);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is JSON that
 * is not {"status":"Failed",...}: *root is it (caller json_decref()s).
 * Otherwise the outcome, *root NULL and *why malloc'd quoting ClouDNS's
 * statusDescription, e.g. "Failed: Invalid authentication, incorrect
 * auth-id or auth-password. (check ...)".
 */
enum outcome	 cloudns_reply(long status, const char *body, json_t **root,
		    char **why);

/*
 * The records of a records.json reply (an object keyed by id, or [] when
 * there are none) whose host is host ("" for the apex) and type type. 0
 * with *count and the first in *first (caller cd_rec_free()s; zeroed
 * when none), or -1 with *why (malloc'd) when the reply is malformed.
 */
int		 cloudns_find(json_t *root, const char *host, const char *type,
		    struct cd_rec *first, size_t *count, char **why);

/* The id of an add-record.json reply ({"data":{"id":N}}), malloc'd, or
 * NULL if there is none. */
char		*cloudns_new_id(json_t *root);

void		 cd_rec_free(struct cd_rec *);

#endif /* CLOUDNS_H */
