/*
 * dyndns2: the pure parts of the dyndns2 family (request building, reply
 * parsing, the service presets), exported for the unit tests.
 */
#ifndef DYNDNS2_H
#define DYNDNS2_H

#include "../ddnsup.h"

/* Quirks: how a service departs from plain dyndns2. */
#define DYNDNS2_SYSTEM		0x01	/* send system=dyndns (OVH) */
#define DYNDNS2_USER_HOST	0x04	/* username defaults to the name (HE) */
#define DYNDNS2_USER_ZONE	0x08	/* ... to the zone, else the name */
#define DYNDNS2_V4ONLY		0x10	/* the endpoint updates A records only */
#define DYNDNS2_STATUS		0x20	/* a 2xx status is success whatever the
					   body, unless it is a dyndns2 code */
#define DYNDNS2_EASYDNS		0x40	/* easyDNS's reply words (NOERROR...),
					   anywhere in an HTML page */

struct dyndns2_preset {
	const char	*name;		/* the "service" value */
	const char	*base;		/* scheme://host; NULL: "server" needed */
	const char	*base6;		/* for AAAA updates; NULL: base */
	const char	*path;		/* added to a server URL without a path */
	const char	*user;		/* default username, or NULL */
	const char	*v4;		/* parameter for an IPv4 address; NULL:
					   "myip" */
	const char	*v6;		/* ... for an IPv6 address; NULL: "myip" */
	const char	*keep;		/* value that tells the service to leave
					   the other family alone, sent with the
					   other family's parameter; NULL: none */
	int		 quirks;	/* DYNDNS2_* */
};

/* Sorted by name, ended by a row with a NULL name. */
extern const struct dyndns2_preset dyndns2_presets[];

/* The preset called name, or NULL. Static, never freed. */
const struct dyndns2_preset *dyndns2_preset(const char *name);

/* The username to send: username if set, else the preset's default for
 * (name, zone); NULL when there is none. Points into the arguments or the
 * preset, never freed. */
const char	*dyndns2_user(const struct dyndns2_preset *p,
		    const char *username, const char *name, const char *zone);

/*
 * server, or its host with path added when it names none ("https://" is
 * assumed when it has no scheme), ready for "k=v" parameters: it ends in
 * '?' or '&'. Malloc'd, caller frees; NULL with *err (static) when server
 * cannot be used, or with *err NULL when out of memory.
 */
char		*dyndns2_base(const char *server, const char *path,
		    const char **err);

/*
 * The update URL for host and a under preset p, at server (a URL that
 * overrides p->base; p->path is added when it names no path). Malloc'd,
 * caller frees; NULL with *err (static) when server cannot be used, or
 * with *err NULL when out of memory.
 */
char		*dyndns2_url(const struct dyndns2_preset *p, const char *server,
		    const char *host, const struct addr *a, const char **err);

/*
 * Read the answer (HTTP status, NUL-terminated body) to an update of a
 * under preset p: the outcome, with ctx->hold and ctx->retry_after set as
 * the reply asks, and *why (malloc'd, caller frees; no subject prefix)
 * set on anything but a plain success.
 */
enum outcome	 dyndns2_parse(const struct dyndns2_preset *p, long status,
		    const char *body, const struct addr *a,
		    struct push_ctx *ctx, char **why);

/*
 * The first line of body fit to quote in a message: control bytes
 * replaced, cut at max bytes with "...", registered secrets redacted.
 * Malloc'd, caller frees; NULL only when out of memory. (Text-protocol
 * providers share it.)
 */
char		*dyndns2_excerpt(const char *body, size_t max);

#endif /* DYNDNS2_H */
