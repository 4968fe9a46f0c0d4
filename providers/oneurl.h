/*
 * oneurl: the pure parts of the one-URL family (services updated by one
 * GET of a URL that carries a secret), exported for the unit tests.
 */
#ifndef ONEURL_H
#define ONEURL_H

#include "../ddnsup.h"

/* What a reply line that starts with a pattern means. */
struct oneurl_reply {
	const char	*pattern;	/* case-insensitive prefix of the first
					   line; %h: the name, %a: the address */
	enum outcome	 out;
	int		 hold;		/* a person must act (ctx->hold) */
	const char	*what;		/* said in the message; NULL on success */
};

struct oneurl_preset {
	const char	*name;		/* the "service" value */
	const char	*base;		/* scheme://host for A updates */
	const char	*base6;		/* ... for AAAA updates; NULL: base */
	const char	*path4;		/* path and query for an IPv4 address:
					   %t token, %u username, %h name,
					   %a address (each percent-encoded) */
	const char	*path6;		/* ... for an IPv6 address */
	int		 needs_user;	/* "username" is required */
	const struct oneurl_reply *replies;	/* ended by a NULL pattern */
};

/* Sorted by name, ended by a row with a NULL name. */
extern const struct oneurl_preset oneurl_presets[];

/* The preset called name (any case), or NULL. Static, never freed. */
const struct oneurl_preset *oneurl_preset(const char *name);

/*
 * The update URL for (name, a) under preset p with token and username
 * (NULL when the preset needs none), at endpoint (scheme://host, which
 * overrides the preset's host) or the preset's host. Malloc'd, caller
 * frees; NULL with *err (static) when endpoint cannot be used, or with
 * *err NULL when out of memory.
 */
char		*oneurl_url(const struct oneurl_preset *p, const char *endpoint,
		    const char *token, const char *username, const char *name,
		    const struct addr *a, const char **err);

/*
 * Read the answer (HTTP status, NUL-terminated body) to an update of
 * (name, a) under preset p: the outcome, with ctx->hold set as the reply
 * asks, and *why (malloc'd, caller frees; no subject prefix) set on
 * anything but a plain success.
 */
enum outcome	 oneurl_parse(const struct oneurl_preset *p, long status,
		    const char *body, const char *name, const struct addr *a,
		    struct push_ctx *ctx, char **why);

#endif /* ONEURL_H */
