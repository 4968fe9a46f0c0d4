/*
 * dnsla: the pure parts of the DNS.LA open API v2 provider (URLs, JSON
 * bodies, reply parsing), exported for the unit tests.
 */
#ifndef DNSLA_H
#define DNSLA_H

#include "../ddnsup.h"

/* DNS.LA names record types by their RR type number. */
#define DNSLA_TYPE_A	1
#define DNSLA_TYPE_AAAA	28

/* A record as /api/recordList returns it (the fields we compare). */
struct dnsla_rec {
	char	*id;
	char	*data;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The record list URL: base "/api/recordList?domain=..&host=..&type=..
 * &pageIndex=1&pageSize=100", values percent-encoded. Malloc'd; NULL on
 * ENOMEM.
 */
char		*dnsla_list_url(const char *base, const char *domain,
		    const char *host, int type);

/*
 * The JSON body of POST /api/record (id NULL: create in domain) or PUT
 * /api/record (id set: update that record; domain unused). ttl 0 leaves
 * it out. Malloc'd; NULL on ENOMEM.
 */
char		*dnsla_body(const char *id, const char *domain,
		    const char *host, int type, const char *data, long ttl);

/*
 * Read a reply {"code":200,"msg":"","data":{...}}. OUT_CURRENT with *root
 * (caller json_decref()s) on code 200 and HTTP 200; otherwise the outcome
 * it means, *root NULL, *hold 1 for a refusal that will not go away by
 * itself, and *why (malloc'd) quoting the code and msg.
 */
enum outcome	 dnsla_reply(long status, const char *body, json_t **root,
		    int *hold, char **why);

/*
 * The records of a recordList reply called host ("@": apex) of type type:
 * the first into *have (caller dnsla_rec_free()s), their number in *count.
 * 0, or -1 with *why when the list is malformed.
 */
int		 dnsla_parse_list(json_t *root, const char *host, int type,
		    struct dnsla_rec *have, size_t *count, char **why);

/* The record id (data.id) of a create reply, malloc'd; NULL with *why
 * when there is none. */
char		*dnsla_parse_id(json_t *root, char **why);

void		 dnsla_rec_free(struct dnsla_rec *);

#endif /* DNSLA_H */
