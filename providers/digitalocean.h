/*
 * digitalocean: the pure parts of the DigitalOcean DNS provider (reply
 * reading, request bodies), exported so unit tests can feed them the
 * replies DigitalOcean's API reference shows.
 */
#ifndef DIGITALOCEAN_H
#define DIGITALOCEAN_H

#include "../ddnsup.h"

/* A domain record as DigitalOcean holds it (the fields we compare). */
struct do_rec {
	char	*id;		/* decimal */
	char	*data;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object: *root is it (caller json_decref()s). Otherwise the outcome the
 * reply means, *root NULL and *why malloc'd, such as "HTTP 401:
 * unauthorized: Unable to authenticate you (check token: ...)" (caller
 * frees).
 */
enum outcome	 do_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /v2/domains/{zone}: 1 if it describes zone, 0 if it
 * names another, -1 if it is not shaped as documented. */
int		 do_parse_domain(json_t *root, const char *zone);

/*
 * The reply to GET /v2/domains/{zone}/records?type=&name=: the records
 * whose relative name is rel ("@" for the apex) and type is type. 0 with
 * *count of them and the first in *first (caller do_rec_free()s; zeroed
 * when none), or -1 with *why (malloc'd) if the reply is malformed.
 */
int		 do_parse_records(json_t *root, const char *rel,
		    const char *type, struct do_rec *first, size_t *count,
		    char **why);

/* The reply to POST or PATCH: the written record's id (malloc'd), or NULL
 * if the reply has none. */
char		*do_parse_write(json_t *root);

/*
 * The body that makes have hold data (and ttl when > 0): a create with
 * name rel when have is NULL (ttl 1800 when 0), else a PATCH with type and
 * only what differs. Returns the number of fields changed, 0 when have is
 * current (*body NULL), -1 on allocation failure; *body malloc'd.
 */
int		 do_build_body(const char *type, const char *rel,
		    const char *data, long ttl, const struct do_rec *have,
		    char **body);

void		 do_rec_free(struct do_rec *);

#endif /* DIGITALOCEAN_H */
