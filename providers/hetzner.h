/*
 * hetzner: the pure parts of the Hetzner Cloud DNS provider (reply
 * parsing, request bodies), exported so unit tests can feed them the
 * documented example replies.
 */
#ifndef HETZNER_H
#define HETZNER_H

#include "../ddnsup.h"

/* An RRSet as Hetzner holds it (the fields we compare). */
struct hz_rrset {
	long	 ttl;		/* -1: null, the zone's default */
	size_t	 nrec;		/* records in the set */
	char	*value;		/* the first record's value, or NULL */
	int	 protect;	/* change protection is on */
};

/* What an Action says about itself. */
enum hz_state {
	HZ_RUNNING,
	HZ_SUCCESS
};

/*
 * The outcome an error reply {"error":{"code","message","details"}} (or
 * anything else on a non-2xx status) means, with *why malloc'd such as
 * "HTTP 401: unauthorized: unable to authenticate" (caller frees).
 */
enum outcome	 hz_error(long status, const char *body, char **why);

/* 1 if status and body are Hetzner's not_found error, else 0. */
int		 hz_not_found(long status, const char *body);

/*
 * The reply to GET /zones/{name}. OUT_CURRENT with *id malloc'd (caller
 * frees), or NULL when the API has no such zone (not_found); else an
 * error outcome with *why (caller frees). A secondary zone is OUT_CONFIG.
 */
enum outcome	 hz_parse_zone(long status, const char *body,
		    const char *name, char **id, char **why);

/*
 * The reply to GET .../rrsets/{name}/{type}. OUT_CURRENT with *found 1
 * and *rs filled (caller hz_rrset_free()s), or *found 0 when there is no
 * such RRSet; else an error outcome with *why (caller frees).
 */
enum outcome	 hz_parse_rrset(long status, const char *body,
		    const char *name, const char *type, struct hz_rrset *rs,
		    int *found, char **why);

/*
 * A reply carrying {"action": {...}} (a write, or GET /actions/{id}).
 * OUT_CURRENT with *id and *state; an action that ended in error is
 * OUT_TEMPFAIL with its code and message in *why; else the outcome the
 * reply means, with *why (caller frees).
 */
enum outcome	 hz_parse_action(long status, const char *body,
		    long long *id, enum hz_state *state, char **why);

/* Request bodies, compact JSON with sorted keys (malloc'd, caller
 * frees; NULL on ENOMEM). ttl 0 leaves the TTL to the zone; comment may
 * be NULL. */
char		*hz_create_body(const char *name, const char *type,
		    const char *value, long ttl, const char *comment);
char		*hz_records_body(const char *value, const char *comment);
char		*hz_ttl_body(long ttl);

void		 hz_rrset_free(struct hz_rrset *);

#endif /* HETZNER_H */
