/*
 * dnspod: the pure parts of the legacy DNSPod token API provider (form
 * bodies, reply parsing), exported for the unit tests.
 */
#ifndef DNSPOD_H
#define DNSPOD_H

#include "../ddnsup.h"

/* A record as Record.List returns it (the fields we compare). */
struct dp_rec {
	char	*id;
	char	*value;
	char	*line;
	long	 ttl;		/* 0 when unknown */
};

/*
 * The form body of a call: login_token, format=json, lang=en and
 * error_on_empty=no, then the pairs of kv ("k", "v", ..., NULL) in order,
 * every name and value percent-encoded. Malloc'd; NULL on ENOMEM.
 */
char		*dp_body(const char *login_token, const char *const *kv);

/*
 * Read a reply {"status":{"code","message"},...}. OUT_CURRENT with *root
 * (caller json_decref()s) when the code is "1". Otherwise the outcome it
 * means with *root NULL, *code the vendor's code (malloc'd or NULL; "10",
 * no records, comes back as OUT_CONFIG with *code set so the caller can
 * read it as an empty list), *retry the seconds to wait, *hold 1 for a
 * refusal that will not go away by itself, and *why (malloc'd).
 */
enum outcome	 dp_reply(long status, const char *body, json_t **root,
		    char **code, long *retry, int *hold, char **why);

/*
 * The records of a Record.List reply called sub of type type on line (the
 * default line matches "默认", "default" and line_id "0"): the first into
 * *have (caller dp_rec_free()s), their number in *count. 0, or -1 with
 * *why when the list is malformed.
 */
int		 dp_parse_list(json_t *root, const char *sub, const char *type,
		    const char *line, struct dp_rec *have, size_t *count,
		    char **why);

/* The record id of a Record.Create/Modify reply, malloc'd; NULL with *why
 * when there is none. */
char		*dp_parse_id(json_t *root, char **why);

/* 1 if login_token looks like "ID,TOKEN", else 0. */
int		 dp_token_ok(const char *login_token);

void		 dp_rec_free(struct dp_rec *);

#endif /* DNSPOD_H */
