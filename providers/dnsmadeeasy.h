/*
 * dnsmadeeasy: the pure parts of the DNS Made Easy provider (request
 * signing, reply reading, request bodies), exported so unit tests can feed
 * them the API documentation's examples.
 */
#ifndef DNSMADEEASY_H
#define DNSMADEEASY_H

#include <time.h>

#include "../ddnsup.h"

#define DME_DATE_MAX	40	/* "Sat, 12 Feb 2011 20:59:04 GMT" and NUL */

/* A record as DNS Made Easy holds it (the fields we compare). */
struct dme_rec {
	char	*id;		/* decimal */
	char	*value;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The request date of time t in HTTP format into date, and the hex
 * HMAC-SHA1 of that date keyed with secret into hmac. 0, or -1 if signing
 * failed.
 */
int		 dme_sign(const char *secret, time_t t,
		    char date[DME_DATE_MAX], char hmac[41]);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object (*root is it, caller json_decref()s) or empty (*root NULL).
 * Otherwise the outcome the reply means, *root NULL and *why malloc'd,
 * such as "HTTP 403: API key not found (check api_key and secret_key:
 * ...)" (caller frees); a 400 "Rate limit exceeded" is OUT_TEMPFAIL.
 */
enum outcome	 dme_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /dns/managed/name?domainname=zone: 1 with *id
 * (malloc'd) if it describes zone, 0 if it names another, -1 if it is not
 * shaped as documented. */
int		 dme_parse_domain(json_t *root, const char *zone, char **id);

/*
 * The reply to GET /dns/managed/{id}/records?recordName=&type=: the
 * records whose name is rel ("" for the apex) and type is type. 0 with
 * *count of them and the first in *first (caller dme_rec_free()s; zeroed
 * when none), or -1 with *why (malloc'd) if the reply is malformed.
 */
int		 dme_parse_records(json_t *root, const char *rel,
		    const char *type, struct dme_rec *first, size_t *count,
		    char **why);

/* The id of the record a POST created (malloc'd), or NULL. */
char		*dme_parse_write(json_t *root);

/* The body of a create (id NULL) or of a PUT of record id: name rel,
 * type, value data, gtdLocation DEFAULT and ttl; malloc'd or NULL. */
char		*dme_build_body(const char *rel, const char *type,
		    const char *data, long ttl, const char *id);

void		 dme_rec_free(struct dme_rec *);

#endif /* DNSMADEEASY_H */
