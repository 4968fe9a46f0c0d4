/*
 * ovh: the pure parts of the signed OVHcloud API provider (signature,
 * reply reading, request bodies), exported for the unit tests.
 */
#ifndef OVH_H
#define OVH_H

#include "../ddnsup.h"

/* A DNS record as OVH's /domain/zone/{zone}/record/{id} describes it. */
struct ovh_rec {
	char	*id;		/* decimal */
	char	*sub;		/* subDomain, "" for the apex */
	char	*type;		/* fieldType */
	char	*target;
	long	 ttl;		/* 0: the zone's default */
};

/*
 * The X-Ovh-Signature of a request: "$1$" and the hex SHA-1 of
 * AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+BODY+"+"+TIMESTAMP, into out (44
 * characters and the NUL). body NULL is the empty body.
 */
void		 ovh_sign(const char *as, const char *ck, const char *method,
		    const char *url, const char *body, long long ts,
		    char out[45]);

/* The API base URL for an endpoint alias ("ovh-eu", "ovh-ca", "ovh-us"),
 * or NULL if ep is not one (then it is a URL itself). */
const char	*ovh_endpoint(const char *ep);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is JSON (any
 * value; an empty body reads as null): *root is it (caller json_decref()s).
 * Otherwise the outcome the reply means and *why (malloc'd) quoting OVH's
 * errorCode (or class) and message with a hint, e.g. "HTTP 403:
 * NOT_GRANTED_CALL: This call has not been granted (...)".
 */
enum outcome	 ovh_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /auth/time: 0 with *t, or -1 if it is no time. */
int		 ovh_parse_time(json_t *root, long long *t);

/*
 * The reply to GET /domain/zone (an array of zone names) as one string of
 * the names separated by spaces, malloc'd; NULL if malformed (or out of
 * memory: *why says which, malloc'd).
 */
char		*ovh_parse_zones(json_t *root, char **why);

/* The longest zone of the space-separated list that holds name (equal or
 * a parent), malloc'd; NULL if none. */
char		*ovh_pick_zone(const char *zones, const char *name);

/*
 * The reply to GET .../record?fieldType=&subDomain=: an array of ids.
 * 0 with *ids (malloc'd array of malloc'd decimal strings, *n of them;
 * caller frees with ovh_ids_free()), or -1 with *why (malloc'd).
 */
int		 ovh_parse_ids(json_t *root, char ***ids, size_t *n,
		    char **why);
void		 ovh_ids_free(char **ids, size_t n);

/* A record object (GET .../record/{id} or the reply to POST): 0 with *r
 * filled (caller ovh_rec_free()s), or -1 if not shaped as documented. */
int		 ovh_parse_record(json_t *root, struct ovh_rec *r);
void		 ovh_rec_free(struct ovh_rec *);

/*
 * The body that makes have hold target (and ttl when > 0): the POST of a
 * new record (fieldType, subDomain, target, and ttl if > 0) when have is
 * NULL, else the PUT of only what differs. Returns the number of fields
 * to write, 0 when have is current (*body NULL), -1 out of memory; *body
 * malloc'd.
 */
int		 ovh_build_body(const char *type, const char *sub,
		    const char *target, long ttl, const struct ovh_rec *have,
		    char **body);

#endif /* OVH_H */
