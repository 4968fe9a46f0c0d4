/*
 * njalla: the pure parts of the Njalla DNS provider (request bodies,
 * reply reading), exported so unit tests can feed them the replies
 * Njalla's API sends.
 */
#ifndef NJALLA_H
#define NJALLA_H

#include "../ddnsup.h"

/* A record as Njalla holds it (the fields we compare). */
struct nj_rec {
	char	*id;		/* decimal */
	char	*content;
	long	 ttl;		/* 0 when unknown */
};

/* The body {"method":method,"params":params} (params may be NULL: {}),
 * malloc'd; NULL when out of memory. params is not consumed. */
char		*nj_build(const char *method, json_t *params);

/*
 * Read a reply to method. OUT_CURRENT when status is 200 and the body is
 * {"result": <object>}: *result is that object (caller json_decref()s).
 * Otherwise the outcome the reply means, *result NULL, *code the error's
 * code (0 when none) and *why malloc'd, such as "list-records: error 403:
 * permission denied (check token: ...)" (caller frees).
 */
enum outcome	 nj_reply(const char *method, long status, const char *body,
		    json_t **result, long *code, char **why);

/*
 * The names of the domains in a list-domains result, one per line, in
 * lower case; malloc'd ("" when none), or NULL with *why (malloc'd) when
 * the result is not shaped as documented.
 */
char		*nj_parse_domains(json_t *result, char **why);

/*
 * The records named rel ("@" for the apex, any case) of type type in a
 * list-records result. 0 with *count of them and the first in *first
 * (caller nj_rec_free()s; zeroed when none), or -1 with *why (malloc'd).
 */
int		 nj_parse_records(json_t *result, const char *rel,
		    const char *type, struct nj_rec *first, size_t *count,
		    char **why);

/* The id in an add-record or edit-record result (malloc'd), or NULL. */
char		*nj_parse_write(json_t *result);

void		 nj_rec_free(struct nj_rec *);

#endif /* NJALLA_H */
