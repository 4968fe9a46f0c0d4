/*
 * Reading one interface's addresses, with what the system knows about
 * each: the OS half of the "iface" source (probe/iface.c has the rules).
 *
 * Linux: an rtnetlink RTM_GETADDR dump (rtnetlink(7)), the only interface
 * that reports the IPv6 address flags (IFA_F_TEMPORARY, _DEPRECATED,
 * _TENTATIVE, _DADFAILED, _OPTIMISTIC, _PERMANENT, _MANAGETEMPADDR,
 * _STABLE_PRIVACY) and lifetimes (IFA_CACHEINFO):
 *   https://man7.org/linux/man-pages/man7/rtnetlink.7.html
 * Quirks: the 8-bit ifa_flags of struct ifaddrmsg cannot hold the newer
 * flags, which come in the 32-bit IFA_FLAGS attribute (Linux 3.14) when
 * present; for IPv4 bit 0 means "secondary", not "temporary"; IFA_LOCAL
 * is the local address and IFA_ADDRESS the peer on point-to-point links;
 * a dump interrupted by a change (NLM_F_DUMP_INTR) is started again. The
 * reply parser is pure and strict: every length is checked against the
 * bytes received before anything is read.
 *
 * Other Unix systems, and Linux when netlink cannot be opened: getifaddrs(3),
 * which gives addresses without flags or lifetimes (t->flags_known = 0).
 *
 * Windows: GetAdaptersAddresses, matching FriendlyName ("Ethernet") or
 * AdapterName (the "{GUID}"), case-insensitively:
 *   https://learn.microsoft.com/en-us/windows/win32/api/iphlpapi/nf-iphlpapi-getadaptersaddresses
 *   https://learn.microsoft.com/en-us/windows/win32/api/iptypes/ns-iptypes-ip_adapter_unicast_address_lh
 * A random suffix on a router-advertised prefix (IpSuffixOriginRandom) is
 * a temporary address unless it is the link-local address's suffix: with
 * randomized identifiers (the default) Windows gives its public address
 * a random suffix too, the one its link-local address has. DadState gives
 * tentative, duplicate and deprecated; a manual prefix or suffix is
 * static.
 */
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#else
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <net/if.h>
#include <ifaddrs.h>
#endif
#ifdef __linux__
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <poll.h>
#include <unistd.h>
#endif

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iface.h"

#ifdef __linux__
/* Older kernel headers lack the newer flags; the values are ABI. */
#ifndef IFA_F_MANAGETEMPADDR
#define IFA_F_MANAGETEMPADDR	0x100
#endif
#ifndef IFA_F_STABLE_PRIVACY
#define IFA_F_STABLE_PRIVACY	0x800
#endif
#define NL_BUFSZ	65536	/* a dump part is at most a few pages */
#define NL_TRIES	3	/* dumps interrupted by changes, at most */
#define NL_INTR		2	/* ifaddrs_nl_parse: start the dump again */
#endif

/* Append a to t; 0/-1 (ENOMEM). */
int
ia_table_add(struct ia_table *t, const struct ia *a)
{
	struct ia	*v;

	if ((v = realloc(t->v, (t->n + 1) * sizeof(*v))) == NULL)
		return -1;
	t->v = v;
	t->v[t->n++] = *a;
	return 0;
}

/* Free what a reader put in t. */
void
ia_table_free(struct ia_table *t)
{
	free(t->v);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

/* Fill a's address from raw bytes of family fam; 0/-1. */
static int
ia_set(struct ia *a, enum fam fam, const void *bytes)
{
	a->addr.fam = fam;
	memcpy(a->addr.bytes, bytes, fam == FAM_V4 ? 4 : 16);
	if (inet_ntop(fam == FAM_V4 ? AF_INET : AF_INET6, a->addr.bytes,
	    a->addr.text, sizeof(a->addr.text)) == NULL)
		return -1;
	return 0;
}

/* Add name to t's list ("lo, eth0") unless there; 0/-1 (ENOMEM). */
static int
names_add(struct ia_table *t, const char *name)
{
	const char	*p, *e;
	size_t		 n = strlen(name);
	char		*s;

	for (p = t->names; p != NULL; p = e != NULL ? e + 2 : NULL) {
		e = strstr(p, ", ");
		if ((size_t)(e != NULL ? e - p : (ptrdiff_t)strlen(p)) == n &&
		    strncmp(p, name, n) == 0)
			return 0;
	}
	s = t->names == NULL ? xasprintf("%s", name) :
	    xasprintf("%s, %s", t->names, name);
	if (s == NULL)
		return -1;
	free(t->names);
	t->names = s;
	return 0;
}

/*
 * Windows marks both its temporary addresses and, with randomized
 * identifiers (the default), its public one with a random suffix. The
 * public address shares its interface identifier with the link-local
 * one; a temporary address never does. Among v[0..n) (one adapter's),
 * clear the temporary mark of such addresses and call them stable.
 */
void
ifaddrs_win_public(struct ia *v, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (v[i].addr.fam != FAM_V6 || !(v[i].flags & IA_TEMPORARY))
			continue;
		for (j = 0; j < n; j++)
			if (v[j].addr.fam == FAM_V6 &&
			    v[j].addr.bytes[0] == 0xfe &&
			    (v[j].addr.bytes[1] & 0xc0) == 0x80 &&
			    memcmp(v[j].addr.bytes + 8, v[i].addr.bytes + 8,
			    8) == 0) {
				v[i].flags &= ~IA_TEMPORARY;
				v[i].flags |= IA_STABLE;
				break;
			}
	}
}

#ifndef _WIN32
/* The length of the prefix netmask sa (family af) stands for. */
static unsigned int
mask_len(const struct sockaddr *sa, int af)
{
	const unsigned char	*b;
	unsigned int		 i, n = 0, len;

	if (sa == NULL)
		return af == AF_INET ? 32 : 128;
	if (af == AF_INET) {
		b = (const unsigned char *)
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		len = 4;
	} else {
		b = ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr;
		len = 16;
	}
	for (i = 0; i < len * 8 && (b[i / 8] & (0x80 >> (i % 8))); i++)
		n++;
	return n;
}

/* getifaddrs(3): see iface.h. */
int
ifaddrs_getifaddrs(const char *name, struct ia_table *t, char **why)
{
	struct ifaddrs	*ifap, *i;
	struct ia	 a;
	int		 af;

	if (getifaddrs(&ifap) == -1) {
		*why = xasprintf("cannot list the interfaces: getifaddrs: %s",
		    strerror(errno));
		return -1;
	}
	t->flags_known = 0;
	for (i = ifap; i != NULL; i = i->ifa_next) {
		if (names_add(t, i->ifa_name) == -1)
			goto nomem;
		if (strcmp(i->ifa_name, name) != 0)
			continue;
		t->found = 1;
		if (i->ifa_addr == NULL)
			continue;
		af = i->ifa_addr->sa_family;
		memset(&a, 0, sizeof(a));
		if (af == AF_INET) {
			if (ia_set(&a, FAM_V4, &((struct sockaddr_in *)
			    (void *)i->ifa_addr)->sin_addr) == -1)
				continue;
		} else if (af == AF_INET6) {
			if (ia_set(&a, FAM_V6, ((struct sockaddr_in6 *)
			    (void *)i->ifa_addr)->sin6_addr.s6_addr) == -1)
				continue;
		} else
			continue;
		a.plen = mask_len(i->ifa_netmask, af);
		a.preferred = a.valid = IA_FOREVER;
		if (ia_table_add(t, &a) == -1)
			goto nomem;
	}
	freeifaddrs(ifap);
	return 0;
nomem:
	freeifaddrs(ifap);
	*why = xasprintf("out of memory");
	return -1;
}
#endif /* !_WIN32 */

#ifdef __linux__
/* Map a message's flags (8-bit ifa_flags or IFA_FLAGS) to IA_*. */
static unsigned int
nl_flags(uint32_t f, int af)
{
	unsigned int	 r = 0;

	if (af == AF_INET) {
		if (f & IFA_F_SECONDARY)
			r |= IA_SECONDARY;
		if (f & IFA_F_PERMANENT)
			r |= IA_PERMANENT;
		return r;
	}
	if (f & IFA_F_TEMPORARY)
		r |= IA_TEMPORARY;
	if (f & IFA_F_DEPRECATED)
		r |= IA_DEPRECATED;
	if (f & IFA_F_TENTATIVE)
		r |= IA_TENTATIVE;
	if (f & IFA_F_DADFAILED)
		r |= IA_DUPLICATE;
	if (f & IFA_F_OPTIMISTIC)
		r |= IA_OPTIMISTIC;
	if (f & IFA_F_PERMANENT)
		r |= IA_PERMANENT;
	if (f & IFA_F_STABLE_PRIVACY)
		r |= IA_STABLE;
	if (f & IFA_F_MANAGETEMPADDR)
		r |= IA_MNGTMP;
	return r;
}

/*
 * One RTM_NEWADDR payload p (len bytes, after the nlmsghdr): its address
 * into t if it is interface ifindex's. 0, or -1 with *why (static).
 */
static int
nl_addr(const unsigned char *p, size_t len, unsigned int ifindex,
    struct ia_table *t, const char **why)
{
	struct ifaddrmsg	 ifa;
	struct rtattr		 rta;
	struct ifa_cacheinfo	 ci;
	const unsigned char	*local = NULL, *address = NULL, *data;
	struct ia		 a;
	uint32_t		 flags;
	size_t			 off, alen, dlen;
	int			 have_ci = 0;

	if (len < sizeof(ifa)) {
		*why = "truncated address message";
		return -1;
	}
	memcpy(&ifa, p, sizeof(ifa));
	flags = ifa.ifa_flags;
	if (ifa.ifa_family == AF_INET)
		alen = 4;
	else if (ifa.ifa_family == AF_INET6)
		alen = 16;
	else
		alen = 0;	/* another family: checked, then skipped */
	for (off = NLMSG_ALIGN(sizeof(ifa)); off < len;
	    off += RTA_ALIGN(rta.rta_len)) {
		if (len - off < sizeof(rta)) {
			*why = "truncated address attribute";
			return -1;
		}
		memcpy(&rta, p + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len - off) {
			*why = "bad address attribute length";
			return -1;
		}
		data = p + off + RTA_LENGTH(0);
		dlen = rta.rta_len - RTA_LENGTH(0);
		if (alen == 0)
			continue;
		switch (rta.rta_type) {
		case IFA_ADDRESS:
		case IFA_LOCAL:
			if (dlen != alen) {
				*why = "bad address length";
				return -1;
			}
			if (rta.rta_type == IFA_LOCAL)
				local = data;
			else
				address = data;
			break;
		case IFA_FLAGS:
			if (dlen != sizeof(flags)) {
				*why = "bad IFA_FLAGS length";
				return -1;
			}
			memcpy(&flags, data, sizeof(flags));
			break;
		case IFA_CACHEINFO:
			if (dlen != sizeof(ci)) {
				*why = "bad IFA_CACHEINFO length";
				return -1;
			}
			memcpy(&ci, data, sizeof(ci));
			have_ci = 1;
			break;
		}
	}
	if (alen == 0 || ifa.ifa_index != ifindex)
		return 0;
	if (ifa.ifa_prefixlen > alen * 8) {
		*why = "bad prefix length";
		return -1;
	}
	if (local == NULL && address == NULL) {
		*why = "address message without an address";
		return -1;
	}
	memset(&a, 0, sizeof(a));
	if (ia_set(&a, alen == 4 ? FAM_V4 : FAM_V6,
	    local != NULL ? local : address) == -1) {
		*why = "unprintable address";
		return -1;
	}
	a.plen = ifa.ifa_prefixlen;
	a.flags = nl_flags(flags, ifa.ifa_family);
	a.preferred = have_ci ? ci.ifa_prefered : IA_FOREVER;
	a.valid = have_ci ? ci.ifa_valid : IA_FOREVER;
	if (ia_table_add(t, &a) == -1) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

/* Parse one part of a dump reply: see iface.h. NL_INTR: interrupted. */
int
ifaddrs_nl_parse(const void *buf, size_t len, unsigned int seq,
    unsigned int ifindex, struct ia_table *t, const char **why)
{
	const unsigned char	*p = buf;
	struct nlmsghdr		 h;
	struct nlmsgerr		 e;
	size_t			 off;

	for (off = 0; off < len; off += NLMSG_ALIGN(h.nlmsg_len)) {
		if (len - off < sizeof(h)) {
			*why = "truncated netlink message";
			return -1;
		}
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off) {
			*why = "bad netlink message length";
			return -1;
		}
		if (h.nlmsg_seq != seq) {
			*why = "netlink reply to another request";
			return -1;
		}
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			return NL_INTR;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR:
			if (h.nlmsg_len - NLMSG_HDRLEN < sizeof(e.error)) {
				*why = "truncated netlink error";
				return -1;
			}
			memcpy(&e.error, p + off + NLMSG_HDRLEN,
			    sizeof(e.error));
			if (e.error == 0)	/* an acknowledgement */
				break;
			*why = "the kernel refused the address dump";
			return -1;
		case RTM_NEWADDR:
			if (nl_addr(p + off + NLMSG_HDRLEN,
			    h.nlmsg_len - NLMSG_HDRLEN, ifindex, t, why) == -1)
				return -1;
			break;
		default:		/* NLMSG_NOOP and the like */
			break;
		}
	}
	return 0;
}

/*
 * Dump every address over netlink fd, keeping ifindex's, by deadline.
 * 0, NL_INTR (start again), or -1 with *why (malloc'd).
 */
static int
nl_dump(int fd, unsigned int ifindex, struct ia_table *t, long deadline,
    char **why)
{
	static unsigned int	 seq;
	struct {
		struct nlmsghdr	 h;
		struct ifaddrmsg m;
	}			 req;
	struct sockaddr_nl	 sa;
	struct iovec		 iov;
	struct msghdr		 msg;
	struct pollfd		 pfd;
	const char		*w;
	unsigned char		*buf;
	ssize_t			 n;
	long			 left;
	int			 rc = -1;

	if ((buf = malloc(NL_BUFSZ)) == NULL) {
		*why = xasprintf("out of memory");
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETADDR;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++seq + (unsigned int)getpid();
	req.m.ifa_family = AF_UNSPEC;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1) {
		*why = xasprintf("netlink: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		if ((left = deadline - probe_now_ms()) <= 0) {
			*why = xasprintf("netlink: no reply before the "
			    "deadline");
			goto out;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) == -1 &&
		    errno != EINTR) {
			*why = xasprintf("netlink: %s", strerror(errno));
			goto out;
		}
		if (!(pfd.revents & POLLIN) && (pfd.revents & (POLLERR |
		    POLLHUP | POLLNVAL))) {
			*why = xasprintf("netlink: the socket failed");
			goto out;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		iov.iov_base = buf;
		iov.iov_len = NL_BUFSZ;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sa;
		msg.msg_namelen = sizeof(sa);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if ((n = recvmsg(fd, &msg, 0)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			*why = xasprintf("netlink: %s", strerror(errno));
			goto out;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			*why = xasprintf("netlink: reply larger than %d bytes",
			    NL_BUFSZ);
			goto out;
		}
		if (msg.msg_namelen < sizeof(sa) || sa.nl_pid != 0)
			continue;	/* not from the kernel */
		switch (ifaddrs_nl_parse(buf, (size_t)n, req.h.nlmsg_seq,
		    ifindex, t, &w)) {
		case 1:
			rc = 0;
			goto out;
		case NL_INTR:
			rc = NL_INTR;
			goto out;
		case -1:
			*why = xasprintf("netlink: %s", w);
			goto out;
		}
	}
out:
	free(buf);
	return rc;
}

/* The interfaces there are, "lo, eth0", into t->names; 0/-1. */
static int
nl_names(struct ia_table *t)
{
	struct if_nameindex	*ni, *i;

	if ((ni = if_nameindex()) == NULL)
		return -1;
	for (i = ni; i->if_index != 0 && i->if_name != NULL; i++)
		if (names_add(t, i->if_name) == -1) {
			if_freenameindex(ni);
			return -1;
		}
	if_freenameindex(ni);
	return 0;
}
#endif /* __linux__ */

#ifdef _WIN32
/* s (UTF-16) as UTF-8; malloc'd, NULL on failure. */
static char *
utf8(const wchar_t *s)
{
	char	*r;
	int	 n;

	if (s == NULL || (n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0,
	    NULL, NULL)) <= 0 || (r = malloc((size_t)n)) == NULL)
		return NULL;
	if (WideCharToMultiByte(CP_UTF8, 0, s, -1, r, n, NULL, NULL) <= 0) {
		free(r);
		return NULL;
	}
	return r;
}

/* One unicast address of an adapter as an ia; 0, or -1 to skip it. */
static int
win_ia(const IP_ADAPTER_UNICAST_ADDRESS *u, struct ia *a)
{
	const struct sockaddr	*sa = u->Address.lpSockaddr;

	memset(a, 0, sizeof(*a));
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		if (ia_set(a, FAM_V4, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr) == -1)
			return -1;
	} else if (sa->sa_family == AF_INET6) {
		if (ia_set(a, FAM_V6, ((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr.s6_addr) == -1)
			return -1;
	} else
		return -1;
	a->plen = u->OnLinkPrefixLength;
	a->preferred = u->PreferredLifetime;
	a->valid = u->ValidLifetime;
	switch (u->DadState) {
	case IpDadStateTentative:
		a->flags |= IA_TENTATIVE;
		break;
	case IpDadStateDuplicate:
	case IpDadStateInvalid:
		a->flags |= IA_DUPLICATE;
		break;
	case IpDadStateDeprecated:
		a->flags |= IA_DEPRECATED;
		break;
	default:
		break;
	}
	if (a->addr.fam == FAM_V6 && u->SuffixOrigin == IpSuffixOriginRandom &&
	    u->PrefixOrigin == IpPrefixOriginRouterAdvertisement)
		a->flags |= IA_TEMPORARY;
	if (u->PrefixOrigin == IpPrefixOriginManual ||
	    u->SuffixOrigin == IpSuffixOriginManual)
		a->flags |= IA_PERMANENT;
	return 0;
}

/* GetAdaptersAddresses: see ifaddrs_read. */
static int
win_read(const char *name, struct ia_table *t, char **why)
{
	IP_ADAPTER_ADDRESSES		*buf = NULL, *ad;
	IP_ADAPTER_UNICAST_ADDRESS	*u;
	struct ia			 a;
	ULONG				 size = 16384;
	ULONG				 r = ERROR_BUFFER_OVERFLOW;
	char				*fn;
	size_t				 first;
	int				 tries, match;

	for (tries = 0; tries < 4 && r == ERROR_BUFFER_OVERFLOW; tries++) {
		free(buf);
		if ((buf = malloc(size)) == NULL) {
			*why = xasprintf("out of memory");
			return -1;
		}
		r = GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST |
		    GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, NULL,
		    buf, &size);
	}
	if (r == ERROR_NO_DATA) {
		free(buf);
		return 0;
	}
	if (r != NO_ERROR) {
		free(buf);
		*why = xasprintf("cannot list the interfaces: "
		    "GetAdaptersAddresses: error %lu", (unsigned long)r);
		return -1;
	}
	t->flags_known = 1;
	for (ad = buf; ad != NULL; ad = ad->Next) {
		fn = utf8(ad->FriendlyName);
		match = (fn != NULL && _stricmp(fn, name) == 0) ||
		    (ad->AdapterName != NULL &&
		    _stricmp(ad->AdapterName, name) == 0);
		if (fn != NULL && names_add(t, fn) == -1) {
			free(fn);
			goto nomem;
		}
		free(fn);
		if (!match)
			continue;
		t->found = 1;
		first = t->n;
		for (u = ad->FirstUnicastAddress; u != NULL; u = u->Next)
			if (win_ia(u, &a) == 0 && ia_table_add(t, &a) == -1)
				goto nomem;
		ifaddrs_win_public(t->v + first, t->n - first);
	}
	free(buf);
	if (t->found) {		/* the list is for "no such interface" */
		free(t->names);
		t->names = NULL;
	}
	return 0;
nomem:
	free(buf);
	*why = xasprintf("out of memory");
	return -1;
}
#endif /* _WIN32 */

/* Read name's addresses into t: see iface.h. */
int
ifaddrs_read(const char *name, struct ia_table *t, long deadline,
    char **why)
{
#ifdef __linux__
	unsigned int	 ifindex;
	int		 fd, tries, rc = -1;
#endif

	memset(t, 0, sizeof(*t));
#if defined(_WIN32)
	(void)deadline;
	return win_read(name, t, why);
#elif defined(__linux__)
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd == -1) {
		log_info("iface: netlink: %s; reading the addresses with "
		    "getifaddrs, without their flags", strerror(errno));
		return ifaddrs_getifaddrs(name, t, why);
	}
	if ((ifindex = if_nametoindex(name)) == 0) {
		close(fd);
		if (nl_names(t) == -1) {
			*why = xasprintf("cannot list the interfaces: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	t->found = 1;
	t->flags_known = 1;
	for (tries = 0; tries < NL_TRIES; tries++) {
		t->n = 0;
		if ((rc = nl_dump(fd, ifindex, t, deadline, why)) != NL_INTR)
			break;
		log_debug("iface: the address dump was interrupted by a "
		    "change; again");
	}
	close(fd);
	if (rc == NL_INTR) {
		*why = xasprintf("netlink: the addresses kept changing during "
		    "%d dumps", NL_TRIES);
		rc = -1;
	}
	return rc;
#else
	(void)deadline;
	return ifaddrs_getifaddrs(name, t, why);
#endif
}
