/*
 * DNS wire format (RFC 1035 section 4, RFC 2136 section 2): building and
 * reading messages, pure, no I/O. Used by the "dns" address source and
 * meant for an RFC 2136 UPDATE provider: the builder writes any section
 * (an UPDATE's zone, prerequisite, update and additional sections are the
 * same four counts at the same places) and any RR.
 */
#ifndef DNSWIRE_H
#define DNSWIRE_H

#include <stddef.h>
#include <stdint.h>

#include "ddnsup.h"

#define DNS_HDRLEN	12
#define DNS_MAXLABEL	63
#define DNS_MAXNAME	255	/* wire octets, root label included */
#define DNS_NAMEBUF	1025	/* presentation form, worst case \DDD each */
#define DNS_UDPMAX	512	/* without EDNS (RFC 1035 4.2.1) */

/* Header flag bits (the 16 bits after the id). */
#define DNS_QR		0x8000
#define DNS_AA		0x0400
#define DNS_TC		0x0200
#define DNS_RD		0x0100
#define DNS_RA		0x0080
#define DNS_OPCODE(f)	(((f) >> 11) & 0xf)
#define DNS_RCODE(f)	((f) & 0xf)
#define DNS_OP_QUERY	0
#define DNS_OP_UPDATE	5

#define DNS_T_A		1
#define DNS_T_NS	2
#define DNS_T_CNAME	5
#define DNS_T_SOA	6
#define DNS_T_TXT	16
#define DNS_T_AAAA	28
#define DNS_T_ANY	255

#define DNS_C_IN	1
#define DNS_C_CH	3
#define DNS_C_NONE	254	/* RFC 2136: delete an RR */
#define DNS_C_ANY	255	/* RFC 2136: delete an RRset */

/*
 * A message being built in the caller's buffer. Every dns_put_* is a
 * no-op once err is set (buffer full or bad name), so a builder can put
 * everything and check once with dns_finish.
 */
struct dns_buf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
	const char	*err;		/* static; the first failure */
};

void	 dns_buf_init(struct dns_buf *, unsigned char *mem, size_t cap);
/* The header; counts are QD/AN/NS/AR (ZO/PR/UP/AD for an UPDATE). */
void	 dns_put_header(struct dns_buf *, uint16_t id, uint16_t flags,
	    uint16_t c0, uint16_t c1, uint16_t c2, uint16_t c3);
/* A name in presentation form ("www.example.com", trailing dot or not;
 * "." is the root), uncompressed; labels 1..63 octets, 255 in all. */
void	 dns_put_name(struct dns_buf *, const char *name);
void	 dns_put_question(struct dns_buf *, const char *name, uint16_t type,
	    uint16_t class);
/* An RR with rdata as given (rdlen 0 for an UPDATE delete). */
void	 dns_put_rr(struct dns_buf *, const char *name, uint16_t type,
	    uint16_t class, uint32_t ttl, const void *rdata, uint16_t rdlen);
/* 0 and the message's length in *len, or -1 with *why (static). */
int	 dns_finish(const struct dns_buf *, size_t *len, const char **why);

/* A received message: the header, read once. */
struct dns_msg {
	const unsigned char	*p;
	size_t			 len;
	uint16_t		 id;
	uint16_t		 flags;
	uint16_t		 count[4];	/* QD AN NS AR */
};

/* One resource record as read; rdata stays in the message. */
struct dns_rr {
	char		 name[DNS_NAMEBUF];
	uint16_t	 type;
	uint16_t	 class;
	uint32_t	 ttl;
	uint16_t	 rdlen;
	size_t		 rdoff;		/* offset of rdata in the message */
};

/* 0 and m filled from p/len, or -1 with *why (static). */
int	 dns_msg_init(struct dns_msg *m, const unsigned char *p, size_t len,
	    const char **why);
/*
 * The name at *off, decompressed into out (DNS_NAMEBUF bytes, presentation
 * form, '.', '\\' and unprintable octets escaped); *off moves past it.
 * Pointers must point backwards and outside the header; labels of type
 * 01/10 are refused. 0, or -1 with *why (static).
 */
int	 dns_get_name(const struct dns_msg *, size_t *off, char *out,
	    const char **why);
/* The question at *off; 0 or -1 with *why. */
int	 dns_get_question(const struct dns_msg *, size_t *off, char *name,
	    uint16_t *type, uint16_t *class, const char **why);
/* The RR at *off (rdata bounds checked); 0 or -1 with *why. */
int	 dns_get_rr(const struct dns_msg *, size_t *off, struct dns_rr *,
	    const char **why);
/* An A or AAAA RR's address into *a; 0, or -1 (wrong type or length). */
int	 dns_rr_addr(const struct dns_msg *, const struct dns_rr *,
	    struct addr *a);
/* A TXT RR's character-strings, concatenated, NUL-terminated into out
 * (size sz); 0, or -1 with *why (malformed, NUL inside, too long). */
int	 dns_rr_txt(const struct dns_msg *, const struct dns_rr *, char *out,
	    size_t sz, const char **why);
/* A CNAME (or NS) RR's target into out (DNS_NAMEBUF); 0 or -1. */
int	 dns_rr_target(const struct dns_msg *, const struct dns_rr *,
	    char *out, const char **why);
/* 1 if a and b are the same name (ASCII case, trailing dot ignored). */
int	 dns_name_eq(const char *a, const char *b);
/* "NOERROR", "SERVFAIL", ... for an RCODE; static. */
const char *dns_rcode_name(unsigned int rcode);

#endif /* DNSWIRE_H */
