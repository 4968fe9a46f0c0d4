/*
 * namesilo: the pure parts of the NameSilo DNS provider (request URLs,
 * reply reading), exported so unit tests can feed them the replies
 * NameSilo's API reference shows.
 */
#ifndef NAMESILO_H
#define NAMESILO_H

#include "../ddnsup.h"

#define NAMESILO_ENDPOINT	"https://www.namesilo.com/api"
#define NAMESILO_TTL		7207	/* NameSilo's default */

/* A resource record as NameSilo lists it (the fields we compare). */
struct ns_rec {
	char	*id;		/* record_id */
	char	*value;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The URL of operation op: base/op?version=1&type=json&key=<key> and the
 * pairs of kv ("name", "value", ..., NULL), every value percent-encoded.
 * Malloc'd, caller frees; NULL when out of memory.
 */
char		*namesilo_url(const char *base, const char *op, const char *key,
		    const char *const *kv);

/*
 * Read a reply. OUT_CURRENT when status is 2xx and the body is a JSON
 * {"reply":{"code":300,...}}: *reply is the "reply" object (caller
 * json_decref()s). Otherwise the outcome NameSilo's code (or the HTTP
 * status) means, *reply NULL and *why malloc'd, e.g. "code 110: Invalid
 * API key (check key: ...)"; *code is the reply's code, or 0.
 */
enum outcome	 namesilo_reply(long status, const char *body, json_t **reply,
		    long *code, char **why);

/*
 * The records of a dnsListRecords reply named fqdn (case-insensitive)
 * with type type. 0 with *count of them and the first in *first (caller
 * ns_rec_free()s; zeroed when none), or -1 with *why (malloc'd) when the
 * reply is malformed.
 */
int		 namesilo_find(json_t *reply, const char *fqdn, const char *type,
		    struct ns_rec *first, size_t *count, char **why);

/* The record_id of a dnsAddRecord or dnsUpdateRecord reply, malloc'd, or
 * NULL if there is none. */
char		*namesilo_new_id(json_t *reply);

void		 ns_rec_free(struct ns_rec *);

#endif /* NAMESILO_H */
