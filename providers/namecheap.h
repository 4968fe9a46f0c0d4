/*
 * namecheap: the pure parts of the Namecheap Dynamic DNS provider (the
 * update URL, the XML reply), exported so unit tests can feed them the
 * replies Namecheap's knowledge base shows.
 */
#ifndef NAMECHEAP_H
#define NAMECHEAP_H

#include "../ddnsup.h"

#define NAMECHEAP_ENDPOINT "https://dynamicdns.park-your-domain.com/update"

/*
 * The update URL: endpoint (NAMECHEAP_ENDPOINT when NULL) with host (the
 * name relative to domain, "@" for the apex), domain, password and ip.
 * Malloc'd, caller frees; NULL with *err (static) when endpoint cannot be
 * used, or with *err NULL when out of memory.
 */
char		*namecheap_url(const char *endpoint, const char *host,
		    const char *domain, const char *password,
		    const struct addr *a, const char **err);

/*
 * Read the answer (HTTP status, body of len bytes) to an update of a:
 * OUT_UPDATED when the <interface-response> says <ErrCount>0</ErrCount>
 * and <Done>true</Done>; else the outcome the errors mean, ctx->hold set
 * when a person must act, and *why (malloc'd, caller frees; no subject
 * prefix) quoting Namecheap's <ErrN> messages.
 */
enum outcome	 namecheap_parse(long status, const char *body, size_t len,
		    const struct addr *a, struct push_ctx *ctx, char **why);

#endif /* NAMECHEAP_H */
