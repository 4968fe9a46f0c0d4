/*
 * spaceship: the pure parts of the Spaceship DNS records provider (reply
 * reading, request bodies), exported so unit tests can feed them the
 * replies Spaceship's API documentation shows.
 */
#ifndef SPACESHIP_H
#define SPACESHIP_H

#include "../ddnsup.h"

/* What the record list says about one name and type, over all pages. */
struct ss_seen {
	size_t	 items;		/* records on the pages read so far */
	long	 total;		/* the reply's "total", -1 when absent */
	size_t	 count;		/* records of the name and type */
	int	 current;	/* one of them holds the address */
	long	 cur_ttl;	/* its ttl, 0 when unknown */
	char	*other;		/* the first holding another address */
	long	 other_ttl;	/* its ttl, 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object or empty (204): *root is the object or NULL (caller
 * json_decref()s). Otherwise the outcome the reply means, *root NULL and
 * *why malloc'd, such as "HTTP 404: SOA record for domain example.net not
 * found." (caller frees).
 */
enum outcome	 ss_reply(long status, const char *body, json_t **root,
		    char **why);

/*
 * Add one page of GET /dns/records/{domain} to *seen (zero it before the
 * first page): the items named rel ("@" for the apex, any case) of type
 * type, compared with addr. 0, or -1 with *why (malloc'd) when the page
 * is not shaped as documented. ss_seen_free() frees what *seen holds.
 */
int		 ss_parse_page(json_t *root, const char *rel, const char *type,
		    const char *addr, struct ss_seen *seen, char **why);
void		 ss_seen_free(struct ss_seen *);

/* The PUT /dns/records/{domain} body that upserts one address record:
 * {"force":true,"items":[{"type","name","address","ttl"}]}; malloc'd,
 * NULL when out of memory. */
char		*ss_build_put(const char *type, const char *rel,
		    const char *addr, long ttl);

/* The DELETE /dns/records/{domain} body for one address record:
 * [{"type","name","address"}]; malloc'd, NULL when out of memory. */
char		*ss_build_delete(const char *type, const char *rel,
		    const char *addr);

#endif /* SPACESHIP_H */
