/*
 * inwx: the pure parts of the INWX DomRobot JSON-RPC provider (TOTP for
 * two-factor logins, request bodies, reply reading), exported for the
 * unit tests.
 */
#ifndef INWX_H
#define INWX_H

#include "../ddnsup.h"

/* A nameserver record as nameserver.info lists it (what we compare). */
struct inwx_rec {
	char	*id;
	char	*content;
};

/*
 * Decode the RFC 4648 base32 text s (any case; spaces, '-' and '='
 * padding ignored, as authenticator apps show secrets) into out (size
 * sz). 0 with *len, or -1 if s holds another character, is empty or
 * does not fit.
 */
int		 inwx_base32(const char *s, unsigned char *out, size_t sz,
		    size_t *len);

/*
 * The RFC 6238 TOTP of key at time t: HMAC-SHA1, 30-second steps from
 * the epoch, digits (6..8) decimal digits into out (digits + 1 bytes).
 * 0, or -1 on bad arguments or a libcrypto failure.
 */
int		 inwx_totp(const unsigned char *key, size_t keylen, time_t t,
		    int digits, char *out);

/*
 * The body of a call: {"method":method,"params":{...params,"lang":"en"}}
 * (params borrowed, may be NULL). malloc'd, NULL out of memory.
 */
char		*inwx_body(const char *method, json_t *params);

/*
 * Read the reply to method. OUT_CURRENT when the body is a DomRobot
 * reply with a 1xxx code: *res is its resData (a new reference, caller
 * json_decref()s; an empty object when absent). Otherwise the outcome
 * and *why (malloc'd) quoting the code, msg and reason, with a hint.
 * *code is the DomRobot code, or 0 when there was none.
 */
enum outcome	 inwx_reply(const char *method, long status, const char *body,
		    json_t **res, long *code, char **why);

/*
 * Whether login's resData asks for a second factor: 0 no ("tfa" absent
 * or "0"), 1 yes with *method its name (borrowed from res), -1 if "tfa"
 * is neither a string nor an integer.
 */
int		 inwx_tfa(json_t *res, const char **method);

/*
 * The records of name (fully qualified, any case, a trailing dot
 * ignored) and type in nameserver.info's resData. 0 with *count and the
 * first in *first (caller inwx_rec_free()s; zeroed when none), or -1
 * with *why (malloc'd) if the list is malformed.
 */
int		 inwx_find(json_t *res, const char *name, const char *type,
		    struct inwx_rec *first, size_t *count, char **why);

/* 1 if nameserver.list's resData lists the domain dom, 0 if not, -1 if
 * it is malformed. */
int		 inwx_listed(json_t *res, const char *dom);

/*
 * The params of a write: nameserver.updateRecord of id with content
 * (id not NULL), else nameserver.createRecord of the fully qualified
 * name and type in zone (no name for the apex); ttl when > 0. A new
 * reference, or NULL out of memory.
 */
json_t		*inwx_write_params(const char *name, const char *zone,
		    const char *type, const char *content, long ttl,
		    const char *id);

void		 inwx_rec_free(struct inwx_rec *);

#endif /* INWX_H */
