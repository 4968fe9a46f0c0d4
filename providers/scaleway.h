/*
 * scaleway: the pure parts of the Scaleway Domains and DNS provider
 * (reply reading, request bodies), exported for the unit tests.
 */
#ifndef SCALEWAY_H
#define SCALEWAY_H

#include "../ddnsup.h"

/* A record as ListDNSZoneRecords shows it (the fields we compare). */
struct scw_rec {
	char	*id;		/* UUID */
	char	*data;
	long	 ttl;
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object: *root is it (caller json_decref()s). Otherwise the outcome and
 * *why (malloc'd) quoting Scaleway's type and message with a hint, e.g.
 * "HTTP 403: permissions_denied: insufficient permissions (...)".
 */
enum outcome	 scw_reply(long status, const char *body, json_t **root,
		    char **why);

/* 1 if the reply to GET /dns-zones?dns_zone=zone lists zone itself
 * (subdomain "" and domain, or subdomain.domain), 0 if not, -1 if it is
 * not shaped as documented. */
int		 scw_has_zone(json_t *root, const char *zone);

/*
 * The records named rel ("" for the apex) of type in a reply with a
 * "records" array. 0 with *count of them and the first in *first (caller
 * scw_rec_free()s; zeroed when none), or -1 with *why (malloc'd).
 */
int		 scw_find(json_t *root, const char *rel, const char *type,
		    struct scw_rec *first, size_t *count, char **why);

/*
 * The PATCH body of UpdateDNSZoneRecords: a "set" of record id when id is
 * set, else an "add"; one record rel, type, data, ttl; never creating the
 * zone. malloc'd, or NULL out of memory.
 */
char		*scw_body(const char *id, const char *rel, const char *type,
		    const char *data, long ttl);

void		 scw_rec_free(struct scw_rec *);

#endif /* SCALEWAY_H */
