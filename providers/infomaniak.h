/*
 * infomaniak: the pure parts of the Infomaniak DNS provider (reply
 * reading, record lists, request bodies), exported for the unit tests.
 */
#ifndef INFOMANIAK_H
#define INFOMANIAK_H

#include "../ddnsup.h"

/* A record as /2/zones/{zone}/records shows it (the fields we compare). */
struct ik_rec {
	char	*id;		/* decimal */
	char	*target;
	long	 ttl;
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is
 * {"result":"success","data":...}: *data is that data (a new reference,
 * caller json_decref()s). Otherwise the outcome and *why (malloc'd)
 * quoting Infomaniak's error code and description with a hint.
 */
enum outcome	 ik_reply(long status, const char *body, json_t **data,
		    char **why);

/* 1 if the data of GET /2/zones/{zone} is zone (its "fqdn"), 0 if it
 * names another, -1 if not shaped as documented. */
int		 ik_is_zone(json_t *data, const char *zone);

/*
 * The records of source src ("." for the apex; "" matches it too) and
 * type in a record list. 0 with *count of them and the first in *first
 * (caller ik_rec_free()s; zeroed when none), or -1 with *why (malloc'd).
 */
int		 ik_find(json_t *list, const char *src, const char *type,
		    struct ik_rec *first, size_t *count, char **why);

/* The id of a written record (the data of POST or PUT), malloc'd; NULL
 * if it has none. */
char		*ik_written_id(json_t *data);

/* The body of a create (src and type set) or an update (src NULL):
 * target and ttl. malloc'd, NULL out of memory. */
char		*ik_body(const char *src, const char *type, const char *target,
		    long ttl);

void		 ik_rec_free(struct ik_rec *);

#endif /* INFOMANIAK_H */
