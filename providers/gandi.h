/*
 * gandi: the pure parts of the Gandi LiveDNS v5 provider (reply reading,
 * the PUT body), exported for unit tests.
 */
#ifndef GANDI_H
#define GANDI_H

#include "../ddnsup.h"

/*
 * Read a reply. OUT_CURRENT when status is 2xx: *root is the parsed body,
 * or NULL when it is empty (caller json_decref()s). Otherwise the outcome
 * it means and *why malloc'd (caller frees), quoting Gandi's cause,
 * message and field errors, such as "HTTP 403: Forbidden: Access was
 * denied to this resource. (...)".
 */
enum outcome	 gn_reply(long status, const char *body, json_t **root,
		    char **why);

/*
 * A record set reply {rrset_name, rrset_type, rrset_ttl, rrset_values}:
 * 0 with the number of values in *count, the first in *value (malloc'd,
 * caller frees; NULL when none) and the ttl in *ttl (0 if absent); -1
 * with *why (malloc'd) when it is not shaped so.
 */
int		 gn_parse_rrset(json_t *root, char **value, long *ttl,
		    size_t *count, char **why);

/* The PUT body {"rrset_values":[value],"rrset_ttl":ttl}, malloc'd; NULL
 * on ENOMEM. */
char		*gn_body(const char *value, long ttl);

#endif /* GANDI_H */
