/*
 * desec: the pure parts of the deSEC REST provider (reply parsing,
 * request bodies), exported so unit tests can feed them the documented
 * example replies.
 */
#ifndef DESEC_H
#define DESEC_H

#include "../ddnsup.h"

/* An RRset as deSEC holds it (the fields we compare). */
struct ds_rrset {
	long	 ttl;
	size_t	 nrec;		/* records in the set */
	char	*value;		/* the first record, or NULL */
};

/*
 * The outcome an error reply means ({"detail": "..."}, or field errors
 * {"ttl": ["..."], "non_field_errors": [...]}), with *why malloc'd such
 * as "HTTP 401: Invalid token." (caller frees).
 */
enum outcome	 ds_error(long status, const char *body, char **why);

/*
 * The reply to GET /domains/ (an array) or GET /domains/{zone}/ (one
 * object; 404 is "none"). OUT_CURRENT with *zone the malloc'd name of the
 * domain that is name or the longest suffix of it, and *minttl its
 * minimum_ttl (0 if not given), or *zone NULL when none is; else an
 * error outcome with *why (caller frees both).
 */
enum outcome	 ds_parse_domains(long status, const char *body,
		    const char *name, char **zone, long *minttl, char **why);

/*
 * The reply to GET, POST or PATCH of an RRset. OUT_CURRENT with *found 1
 * and *rs filled (caller ds_rrset_free()s), or *found 0 on 404; else an
 * error outcome with *why (caller frees). subname "" is the apex.
 */
enum outcome	 ds_parse_rrset(long status, const char *body,
		    const char *subname, const char *type, struct ds_rrset *rs,
		    int *found, char **why);

/* The POST body (malloc'd, caller frees; NULL on ENOMEM). */
char		*ds_create_body(const char *subname, const char *type,
		    const char *value, long ttl);

/*
 * The PATCH body that makes have hold value (and ttl, when ttl > 0):
 * only the fields that differ. Returns their number, with *body malloc'd
 * (NULL when 0: the RRset is current), or -1 on ENOMEM.
 */
int		 ds_patch_body(const struct ds_rrset *have, const char *value,
		    long ttl, char **body);

void		 ds_rrset_free(struct ds_rrset *);

#endif /* DESEC_H */
