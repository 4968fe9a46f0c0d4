/*
 * The UDP request/reply engine of the dns and stun sources: every server
 * of a step is asked at once, each on a socket of its own (so the
 * operating system picks a fresh random source port for each) that is
 * created for the server's family and connected to it, so a reply can
 * only come from the address and port asked. The source address is
 * checked again on every datagram all the same. Requests are sent again
 * on the source's schedule (STUN: RFC 8489 section 6.2.1, DNS: twice
 * within the timeout) until the server answers, its timeout passes, or
 * the probe's deadline does.
 *
 * An ICMP port unreachable surfaces as ECONNREFUSED on the connected
 * socket: that server has failed at once, and the step moves on without
 * waiting for its timeout.
 *
 * Windows: Winsock must be started before the first socket call;
 * http_init's curl_global_init does it in the driver, but this file
 * starts and stops its own reference (WSAStartup counts) so that it
 * never depends on that.
 */
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "udp.h"

#ifdef _WIN32
#define sock_close	closesocket
#define sock_errno()	WSAGetLastError()
#define SOCK_AGAIN(e)	((e) == WSAEWOULDBLOCK)
#define SOCK_REFUSED(e)	((e) == WSAECONNREFUSED || (e) == WSAECONNRESET)
#define poll		WSAPoll
#define SOCK_BAD(s)	((s) == INVALID_SOCKET)
#else
#define sock_close	close
#define sock_errno()	errno
#define SOCK_AGAIN(e)	((e) == EAGAIN || (e) == EWOULDBLOCK || (e) == EINTR)
#define SOCK_REFUSED(e)	((e) == ECONNREFUSED)
#define SOCK_BAD(s)	((s) < 0)
#endif

enum { EP_RUNNING, EP_OK, EP_FAILED, EP_ABANDONED };

/* n random bytes from OpenSSL's CSPRNG; 0/-1. */
int
udp_random(void *buf, size_t n)
{
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

/* The text of socket error e; static or thread-local, do not free. */
static const char *
sock_strerror(int e)
{
#ifdef _WIN32
	static char	 buf[32];

	snprintf(buf, sizeof(buf), "Winsock error %d", e);
	return buf;
#else
	return strerror(e);
#endif
}

/* Split spec into host (malloc'd) and port; 0, or -1 with *why. */
static int
split(const char *spec, unsigned int dport, char **host, unsigned int *port,
    char **why)
{
	const char	*c, *h = spec;
	size_t		 hl;
	char		*end;
	unsigned long	 v;

	*port = dport;
	if (spec[0] == '[') {
		if ((c = strchr(spec, ']')) == NULL)
			goto bad;
		h = spec + 1;
		hl = (size_t)(c - h);
		c = c[1] == ':' ? c + 1 : c[1] == '\0' ? NULL : spec;
		if (c == spec)
			goto bad;
	} else if ((c = strchr(spec, ':')) != NULL && strchr(c + 1, ':')) {
		hl = strlen(spec);	/* a bare IPv6 address */
		c = NULL;
	} else
		hl = c != NULL ? (size_t)(c - spec) : strlen(spec);
	if (c != NULL) {
		v = strtoul(c + 1, &end, 10);
		if (c[1] < '0' || c[1] > '9' || *end != '\0' || v == 0 ||
		    v > 65535)
			goto bad;
		*port = (unsigned int)v;
	}
	if (hl == 0)
		goto bad;
	if ((*host = malloc(hl + 1)) == NULL)
		return -1;
	memcpy(*host, h, hl);
	(*host)[hl] = '\0';
	return 0;
bad:
	*why = xasprintf("\"%s\" is not a server: expected address[:port], "
	    "[IPv6]:port or host[:port]", spec);
	return -1;
}

/* ep's address as text into ep->name: "a.b.c.d:p" or "[v6]:p". */
static void
ep_name(struct udp_ep *ep)
{
	char		 h[INET6_ADDRSTRLEN];
	unsigned int	 port;

	if (ep->sa.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ep->sa;

		inet_ntop(AF_INET, &s4->sin_addr, h, sizeof(h));
		port = ntohs(s4->sin_port);
		snprintf(ep->name, sizeof(ep->name), "%s:%u", h, port);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ep->sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, h, sizeof(h));
		port = ntohs(s6->sin6_port);
		snprintf(ep->name, sizeof(ep->name), "[%s]:%u", h, port);
	}
}

/* spec into ep's server address for family fam; see udp.h. */
int
udp_server(const char *spec, enum fam fam, unsigned int dport, int names,
    struct udp_ep *ep, char **why)
{
	struct addrinfo	 hints, *ai = NULL;
	struct addr	 lit;
	char		*host = NULL, port[8];
	unsigned int	 pn;
	int		 rc;

	*why = NULL;
	if (split(spec, dport, &host, &pn, why) == -1)
		return -1;
	snprintf(port, sizeof(port), "%u", pn);
	if (addr_parse(host, FAM_MAX, &lit) == 0 && lit.fam != fam) {
		*why = xasprintf("%s is an %s address: it cannot tell the "
		    "%s address", host, fam_name(lit.fam), fam_name(fam));
		free(host);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = fam == FAM_V4 ? AF_INET : AF_INET6;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV | (names ? 0 : AI_NUMERICHOST);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0 || ai == NULL) {
		if (!names && addr_parse(host, FAM_MAX, &lit) == -1)
			*why = xasprintf("%s is not an IP address (give the "
			    "server's address, not its name)", host);
		else
			*why = xasprintf("%s: no %s address: %s", host,
			    fam_name(fam), gai_strerror(rc));
		free(host);
		return -1;
	}
	free(host);
	memset(&ep->sa, 0, sizeof(ep->sa));
	memcpy(&ep->sa, ai->ai_addr, ai->ai_addrlen);
	ep->salen = (socklen_t)ai->ai_addrlen;
	ep->fam = fam;
	freeaddrinfo(ai);
	ep_name(ep);
	return 0;
}

/* See udp.h. */
int
udp_server_syntax(const char *spec, enum fam fam, char **why)
{
	struct addr	 lit;
	char		*host = NULL;
	unsigned int	 pn;
	size_t		 i;

	*why = NULL;
	if (split(spec, 0, &host, &pn, why) == -1)
		return -1;
	if (addr_parse(host, FAM_MAX, &lit) == 0) {
		if (lit.fam != fam)
			*why = xasprintf("%s is an %s address: it cannot tell "
			    "the %s address", host, fam_name(lit.fam),
			    fam_name(fam));
	} else
		for (i = 0; host[i] != '\0'; i++)
			if (!((host[i] >= 'a' && host[i] <= 'z') ||
			    (host[i] >= 'A' && host[i] <= 'Z') ||
			    (host[i] >= '0' && host[i] <= '9') ||
			    host[i] == '-' || host[i] == '.')) {
				*why = xasprintf("\"%s\" is not a host name "
				    "or address", host);
				break;
			}
	free(host);
	return *why != NULL ? -1 : 0;
}

/* 1 if from (len) is ep's server address and port. */
static int
same_peer(const struct udp_ep *ep, const struct sockaddr_storage *from)
{
	if (from->ss_family != ep->sa.ss_family)
		return 0;
	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)from;
		const struct sockaddr_in *b = (const void *)&ep->sa;

		return a->sin_port == b->sin_port &&
		    memcmp(&a->sin_addr, &b->sin_addr, 4) == 0;
	} else {
		const struct sockaddr_in6 *a = (const void *)from;
		const struct sockaddr_in6 *b = (const void *)&ep->sa;

		return a->sin6_port == b->sin6_port &&
		    memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0;
	}
}

/* Close ep's socket, if open. */
static void
ep_close(struct udp_ep *ep)
{
	if (ep->open)
		sock_close(ep->fd);
	ep->open = 0;
}

/* ep has failed: why (malloc'd, taken). */
static void
ep_fail(const struct udp_proto *p, struct udp_ep *ep, char *why)
{
	ep_close(ep);
	ep->state = EP_FAILED;
	ep->ms = probe_now_ms() - ep->started;
	free(ep->why);
	ep->why = why;
	log_info("probe: %s %s: %s", p->name, ep->name, why != NULL ? why :
	    "failed");
}

/* Send ep's request (again); a send error fails ep. */
static void
ep_send(const struct udp_proto *p, struct udp_ep *ep)
{
	int	 e;

	if (send(ep->fd, (const void *)ep->req, (int)ep->reqlen, 0) < 0) {
		e = sock_errno();
		if (SOCK_AGAIN(e))
			return;	/* as if lost: the next send retries */
		ep_fail(p, ep, xasprintf("cannot send: %s", SOCK_REFUSED(e) ?
		    "port unreachable" : sock_strerror(e)));
		return;
	}
	ep->sent++;
	log_debug("probe: %s %s: request %d sent (%zu bytes)", p->name,
	    ep->name, ep->sent, ep->reqlen);
}

/* Open ep's socket, connect it to the server, send the first request. */
static void
ep_start(const struct udp_proto *p, struct udp_ep *ep, long now)
{
#ifdef _WIN32
	u_long	 on = 1;
#endif
	int	 e;

	ep->started = now;
	ep->interval = p->rto_ms;
	ep->next = now + p->rto_ms;
	ep->state = EP_RUNNING;
	ep->fd = socket(ep->sa.ss_family, SOCK_DGRAM, 0);
	if (SOCK_BAD(ep->fd)) {
		ep_fail(p, ep, xasprintf("cannot open an %s socket: %s",
		    fam_name(ep->fam), sock_strerror(sock_errno())));
		return;
	}
	ep->open = 1;
#ifdef _WIN32
	ioctlsocket(ep->fd, FIONBIO, &on);
#else
	fcntl(ep->fd, F_SETFL, fcntl(ep->fd, F_GETFL) | O_NONBLOCK);
#endif
	if (connect(ep->fd, (struct sockaddr *)&ep->sa, ep->salen) != 0) {
		e = sock_errno();
		ep_fail(p, ep, xasprintf("cannot reach it over %s: %s",
		    fam_name(ep->fam), sock_strerror(e)));
		return;
	}
	ep_send(p, ep);
}

/* Read what ep's socket holds and judge it. */
static void
ep_read(const struct udp_proto *p, struct udp_ep *ep,
    const struct probe_conf *conf)
{
	unsigned char		 buf[UDP_MSGMAX];
	struct sockaddr_storage	 from;
	socklen_t		 fl;
	struct addr		 a;
	char			*why;
	long			 n;
	int			 e;

	while (ep->state == EP_RUNNING) {
		fl = sizeof(from);
		n = (long)recvfrom(ep->fd, (void *)buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl);
		if (n < 0) {
			e = sock_errno();
			if (SOCK_REFUSED(e))
				ep_fail(p, ep, xasprintf("port unreachable "
				    "(nothing listens there)"));
#ifdef _WIN32
			else if (e == WSAEMSGSIZE)
				continue;
#endif
			else if (!SOCK_AGAIN(e))
				ep_fail(p, ep, xasprintf("%s",
				    sock_strerror(e)));
			return;
		}
		if (!same_peer(ep, &from)) {
			log_debug("probe: %s %s: datagram from another "
			    "address ignored", p->name, ep->name);
			continue;
		}
		why = NULL;
		switch (p->judge(ep, buf, (size_t)n, &a, &why)) {
		case UDP_IGNORE:
			if (why == NULL)
				why = xasprintf("not a reply to our request");
			log_debug("probe: %s %s: %zu bytes ignored: %s",
			    p->name, ep->name, (size_t)n, why ? why : "");
			free(ep->ignored);
			ep->ignored = why;
			ep->nignored++;
			break;
		case UDP_FAIL:
			ep_fail(p, ep, why);
			return;
		case UDP_ANSWER:
			free(why);
			why = NULL;
			if (probe_accept(conf, &a, ep->name, &why) == -1) {
				/* probe_accept names the server first */
				ep_fail(p, ep, why);
				return;
			}
			ep_close(ep);
			ep->state = EP_OK;
			ep->addr = a;
			ep->ms = probe_now_ms() - ep->started;
			log_info("probe: %s %s: %s in %ld ms", p->name,
			    ep->name, a.text, ep->ms);
			return;
		}
	}
}

/* Append "; " and piece to *s; takes piece. */
static void
join(char **s, char *piece)
{
	char	*t;

	if (piece == NULL)
		return;
	if (*s == NULL) {
		*s = piece;
		return;
	}
	t = xasprintf("%s; %s", *s, piece);
	free(piece);
	if (t != NULL) {
		free(*s);
		*s = t;
	}
}

/*
 * Decide family f if possible: 1 if decided (res filled, the family's
 * other servers abandoned), 0 if still open.
 */
static int
decide(struct udp_ep *eps, size_t n, const struct udp_proto *p, int quorum,
    enum fam f, struct probe_result *res)
{
	char	*list = NULL, *why;
	size_t	 i, j;
	int	 running = 0, best = 0, k, win = -1;

	for (i = 0; i < n; i++) {
		if (eps[i].fam != f)
			continue;
		if (eps[i].state == EP_RUNNING)
			running++;
		if (eps[i].state != EP_OK)
			continue;
		for (k = 0, j = 0; j < n; j++)
			if (eps[j].fam == f && eps[j].state == EP_OK &&
			    addr_equal(&eps[i].addr, &eps[j].addr))
				k++;
		if (k > best)
			best = k;
		/* the quorum's latest member is what decided it */
		if (k >= quorum && (win == -1 || eps[i].ms > eps[win].ms))
			win = (int)i;
	}
	if (win != -1) {
		res->ok = 1;
		res->addr = eps[win].addr;
		res->source = xasprintf("%s %s", p->name, eps[win].name);
		res->ms = eps[win].ms;
		res->agree = best;
	} else if (best + running >= quorum)
		return 0;
	for (i = 0; i < n; i++) {
		if (eps[i].fam != f)
			continue;
		if (eps[i].state == EP_RUNNING) {
			ep_close(&eps[i]);
			eps[i].state = EP_ABANDONED;
			continue;
		}
		if (win != -1 || eps[i].state == EP_ABANDONED)
			continue;
		if (eps[i].state == EP_OK)
			join(&list, xasprintf("%s %s: said %s", p->name,
			    eps[i].name, eps[i].addr.text));
		else
			join(&list, xasprintf("%s %s: %s", p->name,
			    eps[i].name, eps[i].why ? eps[i].why : "failed"));
	}
	if (win != -1)
		return 1;
	if (quorum > 1)
		why = xasprintf("no %s address that %d servers agree on: %s",
		    fam_name(f), quorum, list ? list : "no servers");
	else
		why = xasprintf("%s", list ? list : "no servers");
	free(list);
	res->why = why;
	return 1;
}

/* See udp.h. */
int
udp_run(struct udp_ep *eps, size_t n, const struct udp_proto *p,
    const struct probe_conf *conf, const int want[FAM_MAX], long timeout,
    long deadline, struct probe_result res[FAM_MAX])
{
	struct pollfd	*pfd = NULL;
	int		 active[FAM_MAX], quorum, f, rc = 0;
	long		 now, wait, end;
	size_t		 i, np;
#ifdef _WIN32
	WSADATA		 wsa;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		for (f = 0; f < FAM_MAX; f++)
			if (want[f])
				res[f].why = xasprintf("%s: cannot start "
				    "Winsock", p->name);
		return -1;
	}
#endif
	quorum = conf->quorum > 0 ? conf->quorum : 1;
	if (n > 0 && (pfd = calloc(n, sizeof(*pfd))) == NULL)
		n = 0;
	now = probe_now_ms();
	for (i = 0; i < n; i++) {
		/* a server the source could not set up comes with its why */
		if (eps[i].why != NULL || !want[eps[i].fam])
			eps[i].state = EP_FAILED;
		else
			ep_start(p, &eps[i], now);
	}
	for (f = 0; f < FAM_MAX; f++) {
		active[f] = want[f];
		if (active[f] && decide(eps, n, p, quorum, f, &res[f]))
			active[f] = 0;
	}
	while (active[FAM_V4] || active[FAM_V6]) {
		now = probe_now_ms();
		wait = deadline - now;
		for (i = 0; i < n; i++) {
			struct udp_ep *ep = &eps[i];

			if (ep->state != EP_RUNNING)
				continue;
			end = ep->started + timeout;
			if (now >= end || now >= deadline) {
				ep_fail(p, ep, ep->nignored == 0 ?
				    xasprintf("no reply in %.1f s (%d request%s "
				    "sent)", (now - ep->started) / 1000.0,
				    ep->sent, ep->sent == 1 ? "" : "s") :
				    xasprintf("no valid reply in %.1f s (%d "
				    "ignored, the last: %s)", (now -
				    ep->started) / 1000.0, ep->nignored,
				    ep->ignored ? ep->ignored : "?"));
				continue;
			}
			if (now >= ep->next && ep->sent < p->sends) {
				ep_send(p, ep);
				if (p->backoff)
					ep->interval *= 2;
				ep->next = now + ep->interval;
			}
			if (ep->state != EP_RUNNING)
				continue;
			if (ep->sent < p->sends && ep->next - now < wait)
				wait = ep->next - now;
			if (end - now < wait)
				wait = end - now;
		}
		for (f = 0; f < FAM_MAX; f++)
			if (active[f] && decide(eps, n, p, quorum, f, &res[f]))
				active[f] = 0;
		if (!active[FAM_V4] && !active[FAM_V6])
			break;
		for (np = 0, i = 0; i < n; i++) {
			if (eps[i].state != EP_RUNNING)
				continue;
			pfd[np].fd = eps[i].fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			np++;
		}
		if (wait < 0)
			wait = 0;
		if (np > 0 && poll(pfd, (unsigned long)np, wait > 1000 ? 1000 :
		    (int)wait) < 0) {
			/* EINTR and the like: go round again */
			continue;
		}
		for (np = 0, i = 0; i < n; i++) {
			if (eps[i].state != EP_RUNNING)
				continue;
			if (pfd[np++].revents != 0)
				ep_read(p, &eps[i], conf);
		}
		for (f = 0; f < FAM_MAX; f++)
			if (active[f] && decide(eps, n, p, quorum, f, &res[f]))
				active[f] = 0;
	}
	for (i = 0; i < n; i++) {
		ep_close(&eps[i]);
		free(eps[i].why);
		free(eps[i].ignored);
		eps[i].why = eps[i].ignored = NULL;
	}
	free(pfd);
	for (f = 0; f < FAM_MAX; f++)
		if (want[f] && !res[f].ok) {
			if (res[f].why == NULL)
				res[f].why = xasprintf("%s: no %s address",
				    p->name, fam_name(f));
			rc = -1;
		}
#ifdef _WIN32
	WSACleanup();
#endif
	return rc;
}

/* Resolve spec for udp_exchange into ep: its own family when it is an
 * address literal, else IPv4 and then IPv6; 0, or -1 with *why. */
static int
exchange_server(const char *spec, unsigned int dport, struct udp_ep *ep,
    char **why)
{
	struct addr	 lit;
	char		*host = NULL, *why6 = NULL;
	unsigned int	 port;

	if (split(spec, dport, &host, &port, why) == -1)
		return -1;
	if (addr_parse(host, FAM_MAX, &lit) == 0) {
		free(host);
		return udp_server(spec, lit.fam, dport, 0, ep, why);
	}
	free(host);
	if (udp_server(spec, FAM_V4, dport, 1, ep, why) == 0)
		return 0;
	if (udp_server(spec, FAM_V6, dport, 1, ep, &why6) == 0) {
		free(*why);
		*why = NULL;
		return 0;
	}
	free(why6);
	return -1;
}

/* Read the datagrams waiting on ep's socket: 1 when match took one
 * (copied to reply), 0 to keep waiting, -1 failed (*why). */
static int
exchange_read(struct udp_ep *ep, udp_match_fn match, void *arg,
    unsigned char *reply, size_t cap, size_t *rlen, char **why)
{
	unsigned char		 buf[UDP_MSGMAX];
	struct sockaddr_storage	 from;
	socklen_t		 fl;
	char			*ign;
	long			 n;
	int			 e;

	for (;;) {
		fl = sizeof(from);
		n = (long)recvfrom(ep->fd, (void *)buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl);
		if (n < 0) {
			e = sock_errno();
			if (SOCK_REFUSED(e)) {
				*why = xasprintf("%s: port unreachable "
				    "(nothing listens there)", ep->name);
				return -1;
			}
#ifdef _WIN32
			if (e == WSAEMSGSIZE)
				continue;
#endif
			if (SOCK_AGAIN(e))
				return 0;
			*why = xasprintf("%s: %s", ep->name, sock_strerror(e));
			return -1;
		}
		if (!same_peer(ep, &from))
			continue;
		ign = NULL;
		if (match(arg, buf, (size_t)n, &ign) == 1) {
			free(ign);
			*rlen = (size_t)n < cap ? (size_t)n : cap;
			memcpy(reply, buf, *rlen);
			return 1;
		}
		log_debug("%s: %ld bytes ignored: %s", ep->name, n,
		    ign != NULL ? ign : "not a reply to our request");
		free(ep->ignored);
		ep->ignored = ign;
		ep->nignored++;
	}
}

/* See udp.h. */
int
udp_exchange(const char *spec, unsigned int dport, const void *req,
    size_t reqlen, long rto_ms, int sends, long timeout, udp_match_fn match,
    void *arg, unsigned char *reply, size_t cap, size_t *rlen, char *peer,
    char **why)
{
	struct udp_ep	 ep;
	struct pollfd	 pfd;
	long		 now, wait;
	int		 rc = -1, e;
#ifdef _WIN32
	u_long		 on = 1;
	WSADATA		 wsa;
#endif

	*why = NULL;
	memset(&ep, 0, sizeof(ep));
#ifdef _WIN32
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		*why = xasprintf("cannot start Winsock");
		return -1;
	}
#endif
	if (exchange_server(spec, dport, &ep, why) == -1)
		goto out;
	snprintf(peer, 64, "%s", ep.name);
	ep.fd = socket(ep.sa.ss_family, SOCK_DGRAM, 0);
	if (SOCK_BAD(ep.fd)) {
		*why = xasprintf("cannot open an %s socket: %s",
		    fam_name(ep.fam), sock_strerror(sock_errno()));
		goto out;
	}
	ep.open = 1;
#ifdef _WIN32
	ioctlsocket(ep.fd, FIONBIO, &on);
#else
	fcntl(ep.fd, F_SETFL, fcntl(ep.fd, F_GETFL) | O_NONBLOCK);
#endif
	if (connect(ep.fd, (struct sockaddr *)&ep.sa, ep.salen) != 0) {
		*why = xasprintf("%s: cannot reach it: %s", ep.name,
		    sock_strerror(sock_errno()));
		goto out;
	}
	ep.started = ep.next = probe_now_ms();
	ep.interval = rto_ms;
	for (;;) {
		now = probe_now_ms();
		if (now - ep.started >= timeout) {
			*why = ep.nignored == 0 ?
			    xasprintf("%s: no reply in %.1f s (%d request%s "
			    "sent)", ep.name, (now - ep.started) / 1000.0,
			    ep.sent, ep.sent == 1 ? "" : "s") :
			    xasprintf("%s: no valid reply in %.1f s (%d "
			    "ignored, the last: %s)", ep.name, (now -
			    ep.started) / 1000.0, ep.nignored, ep.ignored ?
			    ep.ignored : "?");
			goto out;
		}
		if (now >= ep.next && ep.sent < sends) {
			if (send(ep.fd, (const void *)req, (int)reqlen, 0) < 0 &&
			    !SOCK_AGAIN(e = sock_errno())) {
				*why = xasprintf("%s: cannot send: %s", ep.name,
				    SOCK_REFUSED(e) ? "port unreachable" :
				    sock_strerror(e));
				goto out;
			}
			ep.sent++;
			log_debug("%s: request %d sent (%zu bytes)", ep.name,
			    ep.sent, reqlen);
			ep.next = now + ep.interval;
			ep.interval *= 2;
		}
		wait = ep.started + timeout - now;
		if (ep.sent < sends && ep.next - now < wait)
			wait = ep.next - now;
		pfd.fd = ep.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, wait < 0 ? 0 : (int)wait) <= 0 ||
		    pfd.revents == 0)
			continue;
		if ((e = exchange_read(&ep, match, arg, reply, cap, rlen,
		    why)) == -1)
			goto out;
		if (e == 1) {
			rc = 0;
			goto out;
		}
	}
out:
	ep_close(&ep);
	free(ep.ignored);
#ifdef _WIN32
	WSACleanup();
#endif
	return rc;
}
