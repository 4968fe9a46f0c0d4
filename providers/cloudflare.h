/*
 * cloudflare: the pure parts of the Cloudflare v4 provider (reply parsing,
 * request bodies), exported so unit tests can feed them recorded replies.
 */
#ifndef CLOUDFLARE_H
#define CLOUDFLARE_H

#include "../ddnsup.h"

/* A DNS record as Cloudflare holds it (the fields we compare). */
struct cf_rec {
	char	*id;
	char	*content;
	long	 ttl;		/* 1 is "automatic"; 0 when unknown */
	int	 proxied;	/* -1 when unknown */
	char	*comment;	/* NULL when none */
};

/* What the configuration asks the record to be. */
struct cf_want {
	const char	*type;		/* "A" / "AAAA" */
	const char	*name;		/* FQDN */
	const char	*content;	/* the address */
	long		 ttl;		/* 0: keep (1, automatic, on create) */
	int		 proxied;	/* -1: keep (false on create) */
	const char	*comment;	/* NULL: keep (none on create) */
};

/*
 * Read a reply envelope {success, errors, messages, result}. OUT_CURRENT
 * when status is 2xx and success is true: *result is a borrowed reference
 * into *root (caller json_decref(*root)). Otherwise the outcome the reply
 * means, *root NULL, and *why a malloc'd reason such as
 * "HTTP 403: 9109 Invalid access token" (caller frees).
 */
enum outcome	 cf_envelope(long status, const char *body, json_t **root,
		    json_t **result, char **why);

/* The reply to GET /zones?name=name. OUT_CURRENT with *zone_id the
 * malloc'd id of the zone called name, or NULL if there is none; else an
 * error outcome with *why (caller frees both). */
enum outcome	 cf_parse_zones(long status, const char *body,
		    const char *name, char **zone_id, char **why);

/* The reply to GET dns_records. OUT_CURRENT with *count records named
 * name of type type, the first in *first (caller cf_rec_free()s; zeroed
 * when *count is 0); else an error outcome with *why (caller frees). */
enum outcome	 cf_parse_records(long status, const char *body,
		    const char *name, const char *type, struct cf_rec *first,
		    size_t *count, char **why);

/* The reply to POST or PATCH. OUT_UPDATED with *id the malloc'd id of the
 * record written; else an error outcome with *why (caller frees both). */
enum outcome	 cf_parse_write(long status, const char *body, char **id,
		    char **why);

/*
 * The JSON body that makes have look like want: all of want for a create
 * (have NULL), else only the fields that differ, keeping what want leaves
 * unset. Returns the number of fields in *body (malloc'd, caller frees;
 * NULL when 0: the record is current), or -1 on allocation failure.
 */
int		 cf_build_body(const struct cf_want *want,
		    const struct cf_rec *have, char **body);

/* 1 if a reply to a request naming a record id says that record or its
 * zone no longer exists (deleted by hand), else 0. */
int		 cf_gone(long status, const char *body);

/* Split a stored "<zone_id>/<record_id>" into two malloc'd strings
 * (caller frees); 0, or -1 if malformed or out of memory. */
int		 cf_split_id(const char *stored, char **zone_id,
		    char **record_id);

void		 cf_rec_free(struct cf_rec *);

#endif /* CLOUDFLARE_H */
