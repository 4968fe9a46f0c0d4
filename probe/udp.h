/*
 * One UDP request/reply engine for the sources that ask a server over UDP
 * (dns, stun), and their pure encoders/parsers, exported for the unit
 * tests and the fuzz harnesses.
 */
#ifndef PROBE_UDP_H
#define PROBE_UDP_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <sys/types.h>
#include <sys/socket.h>
#endif
#include <stdint.h>

#include "probe.h"

#ifdef _WIN32
#define UDP_SOCK	SOCKET
#else
#define UDP_SOCK	int
#endif

#define UDP_MSGMAX	1232	/* largest request we send, reply we read */

/* What a source says of one datagram from its server. */
enum udp_verdict {
	UDP_IGNORE,		/* not a reply to our request: keep waiting */
	UDP_ANSWER,		/* the address, in *a */
	UDP_FAIL		/* the server answered, but no address: *why */
};

/* One server being asked. The source fills the first part. */
struct udp_ep {
	enum fam		 fam;
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	char			 name[64];	/* "192.0.2.1:53", "[::1]:3478" */
	unsigned char		 req[UDP_MSGMAX];
	size_t			 reqlen;
	unsigned char		 txid[12];	/* the source's request id */
	const void		*q;		/* the source's question */
	/* the engine's */
	UDP_SOCK		 fd;
	int			 open;		/* fd is a socket */
	int			 state;
	int			 sent;
	long			 started, next, interval, ms;
	struct addr		 addr;
	char			*why;		/* malloc'd */
	char			*ignored;	/* why the last datagram was */
	int			 nignored;
};

struct udp_proto {
	const char	*name;		/* "dns", "stun": subject of messages */
	long		 rto_ms;	/* first retransmission after this */
	int		 backoff;	/* double the interval after each */
	int		 sends;		/* transmissions at most (Rc) */
	/* Judge a datagram from ep's server; *why malloc'd (or NULL). */
	enum udp_verdict (*judge)(struct udp_ep *ep, const unsigned char *p,
			    size_t len, struct addr *a, char **why);
};

/*
 * "addr", "addr:port", "[v6]:port" or, when names is set, "host[:port]"
 * (looked up for family fam) into ep's address and name; 0, or -1 with
 * *why (malloc'd). A server that has failed this way may be handed to
 * udp_run with ep->fam, ep->name and ep->why set: it counts as failed.
 */
int	 udp_server(const char *spec, enum fam fam, unsigned int dport,
	    int names, struct udp_ep *ep, char **why);
/* The same checks without looking a name up (for load time): 0, or -1
 * with *why (malloc'd). */
int	 udp_server_syntax(const char *spec, enum fam fam, char **why);
/*
 * Ask every server of eps (n) at once, each on its own socket forced to
 * its family, retransmitting as p says, each for timeout ms at most and
 * never past deadline. A family of want[] is decided when conf->quorum
 * servers named the same valid address (probe_accept), or when that can
 * no longer happen; res[f] is filled as struct probe_source says. 0 if
 * every wanted family got an address, -1 otherwise.
 */
int	 udp_run(struct udp_ep *eps, size_t n, const struct udp_proto *p,
	    const struct probe_conf *conf, const int want[FAM_MAX],
	    long timeout, long deadline, struct probe_result res[FAM_MAX]);
/*
 * Whether datagram p/len is the reply to the request of udp_exchange:
 * 1 it is, 0 it is not (someone else's; *why may say why, malloc'd).
 */
typedef int (*udp_match_fn)(void *arg, const unsigned char *p, size_t len,
	    char **why);

/*
 * One request/reply exchange with one server, for a caller that is not
 * a probe (the rfc2136 provider): spec as udp_server takes it (a name is
 * looked up, IPv4 first, then IPv6, unless it is an address literal), on
 * a connected socket, req sent again after rto_ms, 2 * rto_ms, ... (sends
 * in all) until match accepts a datagram or timeout ms pass. 0 with the
 * reply in reply (cap bytes; a longer one is cut) and its length in
 * *rlen, *peer (64 bytes) the server's address as text; or -1 with *why
 * (malloc'd): unknown host, unreachable, no reply in time.
 */
int	 udp_exchange(const char *spec, unsigned int dport, const void *req,
	    size_t reqlen, long rto_ms, int sends, long timeout,
	    udp_match_fn match, void *arg, unsigned char *reply, size_t cap,
	    size_t *rlen, char *peer, char **why);
/* n random bytes (OpenSSL's CSPRNG); 0/-1. */
int	 udp_random(void *buf, size_t n);

/* ---- dns.c, pure ---------------------------------------------------- */

struct dns_question {
	const char	*name;
	uint16_t	 type;		/* DNS_T_A, DNS_T_AAAA, DNS_T_TXT */
	uint16_t	 class;		/* DNS_C_IN, DNS_C_CH */
	int		 rd;		/* recursion desired */
};

/* The query for q with id into buf (cap); its length, or 0 on error. */
size_t	 dnsprobe_query(const struct dns_question *q, uint16_t id,
	    unsigned char *buf, size_t cap);
/*
 * Judge reply p/len to the query (q, id) for an address of family fam:
 * UDP_IGNORE when it is not a reply to that query (id, QR, opcode or
 * question differ: someone else's, or forged), UDP_FAIL with *why
 * (malloc'd) when it is the reply but gives no one address (RCODE,
 * truncated, malformed, none, several), UDP_ANSWER with *a.
 */
enum udp_verdict dnsprobe_answer(const struct dns_question *q, uint16_t id,
	    enum fam fam, const unsigned char *p, size_t len, struct addr *a,
	    char **why);

/* ---- stun.c, pure --------------------------------------------------- */

#define STUN_HDRLEN	20
#define STUN_COOKIE	0x2112a442u

/* A Binding request with transaction id txid into buf (>= 20 bytes). */
size_t	 stun_request(const unsigned char txid[12], unsigned char *buf);
/* CRC-32 (ISO-HDLC, as FINGERPRINT uses before its xor). */
uint32_t stun_crc32(const unsigned char *p, size_t n);
/*
 * Judge p/len as the reply to the Binding request txid, for family fam:
 * UDP_IGNORE (not STUN, another transaction), UDP_FAIL with *why
 * (malloc'd: error response with its code, malformed, bad FINGERPRINT,
 * unknown comprehension-required attribute, no address) or UDP_ANSWER
 * with *a (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS) and *port.
 */
enum udp_verdict stun_parse(const unsigned char txid[12], enum fam fam,
	    const unsigned char *p, size_t len, struct addr *a,
	    unsigned int *port, char **why);

#endif /* PROBE_UDP_H */
