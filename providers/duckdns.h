/*
 * duckdns: the pure parts of the DuckDNS provider (name mapping, request
 * building, reply parsing), exported for the unit tests.
 */
#ifndef DUCKDNS_H
#define DUCKDNS_H

#include "../ddnsup.h"

#define DUCKDNS_ENDPOINT	"https://www.duckdns.org/update"

/* The DuckDNS domain for name: "home" for "home.duckdns.org" (any case)
 * or a bare "home". Malloc'd, caller frees; NULL when name is not one
 * DuckDNS can update (*err, static, says why; NULL when out of memory). */
char		*duckdns_domain(const char *name, const char **err);

/* The update URL at endpoint for domain with token and a; malloc'd,
 * caller frees; NULL with *err (static) when endpoint cannot be used, or
 * with *err NULL when out of memory. */
char		*duckdns_url(const char *endpoint, const char *domain,
		    const char *token, const struct addr *a, const char **err);

/* Read the answer (HTTP status, NUL-terminated body) to an update of a:
 * the outcome, with ctx->hold set on a refusal, and *why (malloc'd,
 * caller frees; no subject prefix) set on anything but success. */
enum outcome	 duckdns_parse(long status, const char *body,
		    const struct addr *a, struct push_ctx *ctx, char **why);

#endif /* DUCKDNS_H */
