/*
 * dnsexit: the pure parts of the DNSExit provider (request body, reply
 * reading), exported so unit tests can feed them the replies DNSExit's
 * API guide shows.
 */
#ifndef DNSEXIT_H
#define DNSEXIT_H

#include "../ddnsup.h"

/*
 * The POST body that makes name (relative to domain, "" for the apex)
 * of type hold content: {"domain":...,"update":{"type","name","content"
 * [,"ttl" in minutes]}}. ttl is in seconds, 0 to leave it out; it is
 * rounded up to whole minutes. malloc'd, NULL when out of memory.
 */
char		*dnsexit_build_update(const char *domain, const char *name,
		    const char *type, const char *content, long ttl);

/*
 * Read a reply. OUT_UPDATED with *why NULL when it is {"code":0,...};
 * otherwise the outcome it means with *why (malloc'd), such as "HTTP 200:
 * code 2: API Key Authentication Error (check api_key: ...)".
 */
enum outcome	 dnsexit_reply(long status, const char *body, char **why);

#endif /* DNSEXIT_H */
