/*
 * dynadot: the pure parts of the Dynadot provider (request signing, reply
 * reading, request bodies), exported for the unit tests.
 */
#ifndef DYNADOT_H
#define DYNADOT_H

#include "../ddnsup.h"

/* What GET .../records says about one (name, type). */
struct dynadot_have {
	char	*glue_type;	/* "DNS" when Dynadot DNS serves the domain */
	long	 ttl;		/* the domain's TTL, -1 when not given */
	size_t	 n;		/* records at (name, type) */
	char	*val[2];	/* the first two values, malloc'd */
	char	*type[2];	/* their record_type as Dynadot spells it */
	char	*sub[2];	/* their sub_host as Dynadot spells it, or
				   NULL at the apex */
};

/*
 * X-Signature of a request: base64 of HMAC-SHA256 under secret of
 * "key\npath\nrequest_id\nbody" (path with its query; request_id and body
 * "" when none). Malloc'd, NULL when out of memory.
 */
char		*dynadot_sign(const char *key, const char *secret,
		    const char *path, const char *request_id, const char *body);

/*
 * Read a reply: OUT_CURRENT when the status is 2xx and the body is a JSON
 * object whose "code" (if any) is 200, with *data its "data" member
 * (NULL when absent; a new reference, caller json_decref()s). Otherwise
 * the outcome it means, with *why (malloc'd) quoting Dynadot's code and
 * message, and ctx->hold set for what a person must fix.
 */
enum outcome	 dynadot_reply(long status, const char *body, json_t **data,
		    struct push_ctx *ctx, char **why);

/*
 * The records at rel (NULL: the apex) of type ("A", "AAAA") in the reply
 * to GET .../records. 0 with *h filled (dynadot_have_free() frees), -1
 * with *why (malloc'd) when the reply is not shaped as documented.
 */
int		 dynadot_parse(json_t *data, const char *rel, const char *type,
		    struct dynadot_have *h, char **why);
void		 dynadot_have_free(struct dynadot_have *h);

/*
 * The body of a SET_DNS that adds the one record (rel NULL: the apex)
 * to the domain's records (add_dns_to_current_setting), keeping the
 * domain's ttl when >= 0; or, with add 0, of the REMOVE_DNS of that one
 * record. Malloc'd, NULL when out of memory.
 */
char		*dynadot_body(const char *rel, const char *rtype,
		    const char *value, long ttl, int add);

#endif /* DYNADOT_H */
