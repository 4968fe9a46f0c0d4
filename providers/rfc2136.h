/*
 * rfc2136: the pure parts of the RFC 2136 dynamic UPDATE provider with
 * TSIG (RFC 8945): messages, signing, reply checks and the outcome an
 * answer means, exported for the unit tests.
 */
#ifndef RFC2136_H
#define RFC2136_H

#include <stddef.h>
#include <stdint.h>

#include "../ddnsup.h"

#define R2136_T_TSIG	250
#define R2136_FUDGE	300	/* seconds, as nsupdate and knsupdate use */
#define R2136_MACMAX	64	/* HMAC-SHA512 */
#define R2136_KEYMAX	256	/* secret octets */

/* TSIG error field values (RFC 8945 section 3). */
#define R2136_BADSIG	16
#define R2136_BADKEY	17
#define R2136_BADTIME	18
#define R2136_BADTRUNC	22

/* A TSIG key as configured. */
struct r2136_key {
	char		 name[256];	/* lower case, no trailing dot */
	const char	*alg;		/* "hmac-sha256", static */
	int		 md;		/* index into the algorithm table */
	unsigned char	 secret[R2136_KEYMAX];
	size_t		 secretlen;
};

/*
 * Fill k from the configured key name, algorithm (NULL: hmac-sha256;
 * hmac-sha256, hmac-sha512, hmac-sha1, any case, trailing dot or not) and
 * base64 secret. 0, or -1 with *why (malloc'd) that never quotes the
 * secret.
 */
int	 r2136_key_init(struct r2136_key *k, const char *name, const char *alg,
	    const char *secret, char **why);

/*
 * The unsigned UPDATE (id) of zone that replaces name's RRset of a's type
 * by a with ttl: zone section "zone SOA IN", no prerequisites, update
 * section "name ANY <type> 0" (delete the RRset) then "name IN <type> ttl
 * a". 0 and *len, or -1 with *why (static).
 */
int	 r2136_update(uint16_t id, const char *zone, const char *name,
	    const struct addr *a, uint32_t ttl, unsigned char *buf, size_t cap,
	    size_t *len, const char **why);
/* The unsigned query (id, RD clear) for name's type; 0 or -1 as above. */
int	 r2136_query(uint16_t id, const char *name, uint16_t type,
	    unsigned char *buf, size_t cap, size_t *len, const char **why);

/*
 * Sign the message msg (len bytes, in a buffer of cap) with k at time now:
 * the TSIG RR is appended and ARCOUNT raised. 0 with the new length in
 * *len and the MAC in mac (R2136_MACMAX bytes) / *maclen, or -1 with *why
 * (static).
 */
int	 r2136_sign(const struct r2136_key *k, unsigned char *msg, size_t *len,
	    size_t cap, int64_t now, unsigned char *mac, size_t *maclen,
	    const char **why);

/* What r2136_verify found. */
enum r2136_sig {
	R2136_SIG_OK,		/* signed by k over our request, in time */
	R2136_SIG_NONE,		/* no TSIG RR */
	R2136_SIG_ERROR,	/* the server's TSIG error field is set */
	R2136_SIG_BADMAC,	/* the MAC does not verify */
	R2136_SIG_BADTIME,	/* signed more than the fudge from now */
	R2136_SIG_MALFORMED	/* not a DNS message, or a broken TSIG */
};

/* A reply as read: its header fields and TSIG. */
struct r2136_reply {
	uint16_t	 id;
	uint16_t	 flags;
	unsigned int	 rcode;
	enum r2136_sig	 sig;
	unsigned int	 tsig_error;	/* R2136_SIG_ERROR: BADSIG ... */
	int64_t		 skew;		/* BADTIME: their clock minus ours */
	char		 why[160];	/* BADMAC, MALFORMED: what */
};

/*
 * Read reply p/len to the request whose MAC was reqmac (reqmaclen) and
 * check its TSIG with k at time now (RFC 8945 5.3: the MAC covers the
 * request's MAC, the reply with its original id and ARCOUNT less one,
 * and the TSIG variables). Fills r; never fails otherwise.
 */
void	 r2136_verify(const struct r2136_key *k, const unsigned char *p,
	    size_t len, const unsigned char *reqmac, size_t reqmaclen,
	    int64_t now, struct r2136_reply *r);

/*
 * The RRset of name and type in the answer section of query reply p/len:
 * up to max addresses into have, their number in *n, the first's TTL in
 * *ttl. 0, or -1 with *why (static) when the message is malformed.
 */
int	 r2136_answer(const unsigned char *p, size_t len, const char *name,
	    uint16_t type, struct addr *have, size_t max, size_t *n,
	    uint32_t *ttl, const char **why);

/* 1 if query reply p/len is an authoritative NOERROR with cand's SOA in
 * its answer section (cand is a zone's apex), 0 if not, -1 with *why
 * (static) when it is malformed. */
int	 r2136_is_apex(const unsigned char *p, size_t len, const char *cand,
	    const char **why);

/*
 * The outcome of the UPDATE's reply r (update != 0) or of the query's
 * (update == 0; OUT_CURRENT then means "go on"), for key k, zone, name and
 * type ("A"): *why malloc'd on an error outcome, such as "TSIG error
 * BADTIME: ... the clocks differ: check NTP". known: the server signed
 * the query's answer with k, so a BADKEY is its policy refusing the key
 * for this name (Knot's way), not an unknown key.
 */
enum outcome r2136_outcome(int update, int known,
	    const struct r2136_reply *r,
	    const struct r2136_key *k, const char *zone, const char *name,
	    const char *type, char **why);

#endif /* RFC2136_H */
