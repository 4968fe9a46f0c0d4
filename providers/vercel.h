/*
 * vercel: the pure parts of the Vercel DNS provider (reply parsing,
 * request bodies), exported so unit tests can feed them the documented
 * example replies.
 */
#ifndef VERCEL_H
#define VERCEL_H

#include "../ddnsup.h"

/* A DNS record as Vercel holds it (the fields we compare). */
struct vc_rec {
	char	*id;
	char	*value;
	long	 ttl;		/* 0 when not given */
};

/*
 * The outcome an error reply {"error": {"code", "message", ...}} (or
 * anything on a non-2xx status) means, with *why malloc'd such as
 * "HTTP 403: forbidden: Not authorized" (caller frees). *reset is set to
 * the error's limit.reset (Unix seconds) on a rate_limited error, else 0.
 */
enum outcome	 vc_error(long status, const char *body, long long *reset,
		    char **why);

/*
 * The reply to GET /v5/domains/{name}. OUT_CURRENT with *found 1 (and
 * *external 1 when Vercel does not serve the domain's DNS), or *found 0
 * on 404; else an error outcome with *why (caller frees).
 */
enum outcome	 vc_parse_domain(long status, const char *body,
		    const char *name, int *found, int *external, char **why);

/*
 * A page of GET /v5/domains/{d}/records. OUT_CURRENT with *count raised
 * by the records named name (relative, "" for the apex) of type type, the
 * first one seen copied into *first if first->id is NULL (caller
 * vc_rec_free()s), and *next the pagination's next timestamp (0: last
 * page); else an error outcome with *why (caller frees).
 */
enum outcome	 vc_parse_records(long status, const char *body,
		    const char *name, const char *type, struct vc_rec *first,
		    size_t *count, long long *next, char **why);

/* The reply to POST /v2/domains/{d}/records ({"uid"}) or PATCH
 * /v1/domains/records/{id} (the record, which must hold value when value
 * is not NULL). OUT_UPDATED with *id malloc'd; else an error outcome with
 * *why (caller frees both). */
enum outcome	 vc_parse_write(long status, const char *body,
		    const char *value, char **id, char **why);

/*
 * The body that makes have hold value (and ttl when ttl > 0): all of it
 * for a create (have NULL; name relative, "" for the apex), else only what
 * differs. Returns the field count with *body malloc'd (NULL when 0), or
 * -1 on ENOMEM.
 */
int		 vc_build_body(const char *name, const char *type,
		    const char *value, long ttl, const struct vc_rec *have,
		    char **body);

void		 vc_rec_free(struct vc_rec *);

#endif /* VERCEL_H */
