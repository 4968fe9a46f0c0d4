/*
 * rainyun: the pure parts of the Rainyun (雨云) API v2 provider (URLs,
 * JSON bodies, reply parsing), exported for the unit tests.
 */
#ifndef RAINYUN_H
#define RAINYUN_H

#include "../ddnsup.h"

/* A record as GET /product/domain/{id}/dns returns it. */
struct ry_rec {
	char	*id;
	char	*value;
	char	*line;
	long	 ttl;		/* 0 when unknown */
	long	 level;		/* 0 when unknown */
};

/*
 * The domain list URL: base "/product/domain?options=" and the
 * percent-encoded JSON filter {"columnFilters":{"domains.Domain":zone},
 * "sort":[],"page":1,"perPage":100}. Malloc'd; NULL on ENOMEM.
 */
char		*ry_domains_url(const char *base, const char *zone);

/*
 * The JSON body of POST (id NULL: create) or PATCH (id set: update)
 * /product/domain/{id}/dns. Malloc'd; NULL on ENOMEM or a non-numeric id.
 */
char		*ry_body(const char *id, const char *host, const char *type,
		    const char *value, const char *line, long level, long ttl);

/*
 * Read a reply {"code":200,"message":"","data":...} (code 0 is success
 * too). OUT_CURRENT with *root (caller json_decref()s) on success and
 * HTTP 200; otherwise the outcome it means, *root NULL, *hold 1 for a
 * refusal that will not go away by itself, and *why (malloc'd).
 */
enum outcome	 ry_reply(long status, const char *body, json_t **root,
		    int *hold, char **why);

/* The id of zone in a domain list reply, malloc'd; NULL with *why NULL
 * when the zone is not in the list, or with *why when it is malformed. */
char		*ry_parse_domain(json_t *root, const char *zone, char **why);

/*
 * The records of a record list reply called host ("@": apex; the full
 * name matches too) of type type: the first into *have (caller
 * ry_rec_free()s), their number in *count. 0, or -1 with *why.
 */
int		 ry_parse_list(json_t *root, const char *host, const char *name,
		    const char *type, struct ry_rec *have, size_t *count,
		    char **why);

void		 ry_rec_free(struct ry_rec *);

#endif /* RAINYUN_H */
