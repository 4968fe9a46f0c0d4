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
	long		 retry;		/* OUT_TEMPFAIL: back off at least this
					   many seconds; 0: the default */
};

/* Preset flags. */
#define ONEURL_USER	0x01	/* "username" is required */
#define ONEURL_BASIC	0x02	/* username and token go in HTTP Basic
				   auth, not in the URL */

struct oneurl_preset {
	const char	*name;		/* the "service" value */
	const char	*base;		/* scheme://host for A updates */
	const char	*base6;		/* ... for AAAA updates; NULL: base */
	const char	*path4;		/* path and query for an IPv4 address:
					   %t token, %u username, %h name,
					   %a address (each percent-encoded) */
	const char	*path6;		/* ... for an IPv6 address */
	int		 flags;		/* ONEURL_* */
	const struct oneurl_reply *replies;	/* ended by a NULL pattern */
	/*
	 * NULL: replies[] match the body's first line. Else the line they
	 * match is made from the body by this: 1 with *line (malloc'd),
	 * 0 when the body has nothing it reads, -1 when out of memory.
	 */
	int		(*line)(const char *body, char **line);
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
 * ZoneEdit's reply, "<SUCCESS CODE=\"200\" TEXT=\"...\" ZONE=\"...\">" or
 * "<ERROR CODE=... TEXT=...>" elements (not closed, no root), read with
 * expat as the line "SUCCESS 200: <text>" or "ERROR 707: <text>": the
 * first ERROR element, else the first SUCCESS. 1 with *line (malloc'd,
 * caller frees), 0 when there is no such element, -1 out of memory.
 */
int		 oneurl_zoneedit_line(const char *body, char **line);

/*
 * Read the answer (HTTP status, NUL-terminated body) to an update of
 * (name, a) under preset p: the outcome, with ctx->hold and
 * ctx->retry_after set as the reply asks, and *why (malloc'd, caller
 * frees; no subject prefix) set on anything but a plain success.
 */
enum outcome	 oneurl_parse(const struct oneurl_preset *p, long status,
		    const char *body, const char *name, const struct addr *a,
		    struct push_ctx *ctx, char **why);

#endif /* ONEURL_H */
