/*
 * linode: the pure parts of the Linode (Akamai) API v4 DNS provider
 * (reply parsing, request bodies), exported so unit tests can feed them
 * the documented example replies.
 */
#ifndef LINODE_H
#define LINODE_H

#include "../ddnsup.h"

/* A domain record as Linode holds it (the fields we compare). */
struct ln_rec {
	char	*id;
	char	*target;
	long	 ttl;		/* ttl_sec; 0 is the domain's default */
};

/*
 * The outcome an error reply {"errors": [{"field", "reason"}]} (or
 * anything on a non-2xx status) means, with *why malloc'd such as
 * "HTTP 401: Invalid Token" (caller frees).
 */
enum outcome	 ln_error(long status, const char *body, char **why);

/*
 * A page of GET /domains filtered to domain name. OUT_CURRENT with *id the
 * malloc'd id of the domain called name, or NULL when there is none; a
 * slave domain is OUT_CONFIG; else an error outcome with *why (caller
 * frees both).
 */
enum outcome	 ln_parse_domains(long status, const char *body,
		    const char *name, char **id, char **why);

/*
 * A page of GET /domains/{id}/records. OUT_CURRENT with *count raised by
 * the records named name (relative, "" for the apex) of type type, the
 * first one seen copied into *first if first->id is NULL (caller
 * ln_rec_free()s), and *pages the page count; else an error outcome with
 * *why (caller frees).
 */
enum outcome	 ln_parse_records(long status, const char *body,
		    const char *name, const char *type, struct ln_rec *first,
		    size_t *count, long *pages, char **why);

/* The reply to POST or PUT of a record. OUT_UPDATED with *id malloc'd,
 * when the record holds target; else an error outcome with *why (caller
 * frees both). */
enum outcome	 ln_parse_write(long status, const char *body,
		    const char *target, char **id, char **why);

/* The ttl_sec Linode keeps for ttl: the next allowed value up (0 stays
 * 0, the default). */
long		 ln_round_ttl(long ttl);

/*
 * The body that makes have hold target (and ttl when ttl > 0): all of it
 * for a create (have NULL; name relative, "" for the apex), else only what
 * differs. Returns the field count with *body malloc'd (NULL when 0),
 * or -1 on ENOMEM.
 */
int		 ln_build_body(const char *name, const char *type,
		    const char *target, long ttl, const struct ln_rec *have,
		    char **body);

void		 ln_rec_free(struct ln_rec *);

#endif /* LINODE_H */
