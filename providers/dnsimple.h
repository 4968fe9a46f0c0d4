/*
 * dnsimple: the pure parts of the DNSimple provider (reply reading,
 * request bodies, the wait after a 429), exported so unit tests can feed
 * them the replies DNSimple publishes in its API documentation.
 */
#ifndef DNSIMPLE_H
#define DNSIMPLE_H

#include <time.h>

#include "../ddnsup.h"

/* A zone record as DNSimple holds it (the fields we compare). */
struct ds_rec {
	char	*id;		/* decimal */
	char	*content;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object: *root is it (caller json_decref()s). Otherwise the outcome the
 * reply means, *root NULL and *why malloc'd, such as "HTTP 401:
 * Authentication failed (check token: ...)" or "HTTP 400: Validation
 * failed (content: is invalid)".
 */
enum outcome	 ds_reply(long status, const char *body, json_t **root,
		    char **why);

/*
 * The reply to GET /v2/accounts: the number of accounts the token
 * reaches, with the only one's id in *id (malloc'd) when there is exactly
 * one and, when there are several, their ids ", "-joined in *id; -1 if
 * the reply is not shaped as documented.
 */
int		 ds_parse_accounts(json_t *root, char **id);

/* The reply to GET /v2/{account}/zones/{zone}: 1 if it describes zone,
 * 0 if it names another, -1 if it is not shaped as documented. */
int		 ds_parse_zone(json_t *root, const char *zone);

/*
 * One page of GET /v2/{account}/zones/{zone}/records?name=&type=: of the
 * records named rel ("" for the apex) of type type (system records
 * skipped), adds their number to *count and keeps the first in *first
 * (when first->id is still NULL). *pages is the reply's total_pages.
 * 0, or -1 with *why (malloc'd) if the reply is malformed.
 */
int		 ds_parse_records(json_t *root, const char *rel,
		    const char *type, struct ds_rec *first, size_t *count,
		    long *pages, char **why);

/* The reply to POST or PATCH: the written record's id (malloc'd), or NULL
 * if the reply has none. */
char		*ds_parse_write(json_t *root);

/*
 * The body that makes have hold content (and ttl when > 0): a create
 * with name rel when have is NULL (ttl left to DNSimple when 0), else a
 * PATCH with only what differs. Returns the number of fields changed, 0
 * when have is current (*body NULL), -1 on allocation failure; *body
 * malloc'd.
 */
int		 ds_build_body(const char *type, const char *rel,
		    const char *content, long ttl, const struct ds_rec *have,
		    char **body);

/*
 * Seconds to wait after a 429: Retry-After when given (retry_after >=
 * 0), else until X-RateLimit-Reset (a Unix time) when it is in the next
 * hour, else 60.
 */
long		 ds_wait_429(long retry_after, long long reset, time_t now);

void		 ds_rec_free(struct ds_rec *);

#endif /* DNSIMPLE_H */
