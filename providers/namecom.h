/*
 * namecom: the pure parts of the Name.com provider (reply reading, record
 * lists, request bodies), exported so unit tests can feed them the
 * replies Name.com's API v4 reference shows.
 */
#ifndef NAMECOM_H
#define NAMECOM_H

#include "../ddnsup.h"

/* A record as Name.com holds it (the fields we compare). */
struct ncom_rec {
	char	*id;		/* decimal */
	char	*answer;
	long	 ttl;		/* 0 when unknown */
};

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * object: *root is it (caller json_decref()s). Otherwise the outcome the
 * reply means, *root NULL and *why malloc'd, such as "HTTP 401:
 * Unauthenticated (check username and token: ...)" (caller frees).
 */
enum outcome	 ncom_reply(long status, const char *body, json_t **root,
		    char **why);

/* The reply to GET /v4/domains/{domain}: 1 if it describes domain, 0 if
 * it names another, -1 if it is not shaped as documented. */
int		 ncom_parse_domain(json_t *root, const char *domain);

/*
 * One page of GET /v4/domains/{domain}/records: adds to *count the
 * records whose host is host ("" for the apex) and type is type, and
 * fills *first with the first of them when *count was 0 (caller
 * ncom_rec_free()s). *next is the next page, 0 when this is the last.
 * 0, or -1 with *why (malloc'd) if the reply is malformed.
 */
int		 ncom_parse_records(json_t *root, const char *host,
		    const char *type, struct ncom_rec *first, size_t *count,
		    long *next, char **why);

/* The written record's id (malloc'd), or NULL if the reply has none. */
char		*ncom_parse_write(json_t *root);

/* The body of a create or update: host (omitted for the apex), type,
 * answer and ttl; malloc'd or NULL. */
char		*ncom_build_body(const char *host, const char *type,
		    const char *data, long ttl);

void		 ncom_rec_free(struct ncom_rec *);

#endif /* NAMECOM_H */
