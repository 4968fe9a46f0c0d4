/*
 * godaddy: the pure parts of the GoDaddy Domains API provider (endpoint
 * names, reply reading, the PUT body), exported for unit tests.
 */
#ifndef GODADDY_H
#define GODADDY_H

#include "../ddnsup.h"

/* The API base URL for an "endpoint" value: "production" (or NULL) and
 * "ote" name GoDaddy's two environments, anything else is taken as a URL.
 * Static or ep itself; never freed. */
const char	*gd_endpoint(const char *ep);

/*
 * Read a reply. OUT_CURRENT when status is 2xx: *root is the parsed body,
 * or NULL when it is empty (caller json_decref()s). Otherwise the outcome
 * it means, *why malloc'd (caller frees) quoting GoDaddy's code, message
 * and fields, such as "HTTP 401: UNABLE_TO_AUTHENTICATE: Unauthorized :
 * Could not authenticate API key/secret (...)"; after a 429 *retry is the
 * body's retryAfterSec (else left alone).
 */
enum outcome	 gd_reply(long status, const char *body, json_t **root,
		    long *retry, char **why);

/*
 * The reply to GET /v1/domains/{d}/records/{type}/{name}: an array of
 * {data, name, ttl, type}. 0 with *count records and the first's data
 * (malloc'd, caller frees; NULL when none) and ttl; -1 with *why
 * (malloc'd) when the reply is not shaped so.
 */
int		 gd_parse_records(json_t *root, char **data, long *ttl,
		    size_t *count, char **why);

/* The PUT body [{"data":data,"ttl":ttl}], malloc'd; NULL on ENOMEM. */
char		*gd_body(const char *data, long ttl);

#endif /* GODADDY_H */
