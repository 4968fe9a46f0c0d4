/*
 * vultr: the pure parts of the Vultr DNS provider (reply reading, record
 * lists, request bodies), exported so unit tests can feed them the
 * replies Vultr's API v2 reference shows.
 */
#ifndef VULTR_H
#define VULTR_H

#include "../ddnsup.h"

#define VULTR_ENDPOINT	"https://api.vultr.com/v2"

/* A DNS record as Vultr holds it (the fields we compare). */
struct vu_rec {
	char	*id;		/* a UUID */
	char	*data;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object, or empty on 204: *root is it (NULL for 204; caller
 * json_decref()s). Otherwise the outcome, *root NULL and *why malloc'd,
 * e.g. "HTTP 401: Invalid API token. (check api_key: ...)".
 */
enum outcome	 vu_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /v2/domains/{zone}: 1 if it describes zone, 0 if it
 * names another, -1 if it is not shaped as documented. */
int		 vu_parse_domain(json_t *root, const char *zone);

/*
 * One page of GET /v2/domains/{zone}/records: adds the records named rel
 * ("" for the apex) of type type to *count, keeping the first in *first
 * (caller vu_rec_free()s; zero it before the first page). *next is the
 * cursor of the next page (malloc'd) or NULL. 0, or -1 with *why
 * (malloc'd) if the page is malformed.
 */
int		 vu_parse_records(json_t *root, const char *rel,
		    const char *type, struct vu_rec *first, size_t *count,
		    char **next, char **why);

/*
 * The body that makes have hold data (and ttl when > 0): a create with
 * name rel when have is NULL (ttl left to Vultr when 0), else a PATCH of
 * only what differs. Returns the number of fields changed, 0 when have is
 * current (*body NULL), -1 on allocation failure; *body malloc'd.
 */
int		 vu_build_body(const char *type, const char *rel,
		    const char *data, long ttl, const struct vu_rec *have,
		    char **body);

/* The id of a POST reply ({"record":{"id":...}}), malloc'd, or NULL. */
char		*vu_parse_write(json_t *root);

void		 vu_rec_free(struct vu_rec *);

#endif /* VULTR_H */
