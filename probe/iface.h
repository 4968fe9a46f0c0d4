/*
 * The "iface" source's parts: the address table an OS reader fills
 * (probe/ifaddrs.c) and the pure choice rules over it (probe/iface.c).
 * Split so the rules and the netlink parser can be unit-tested over
 * synthetic tables and crafted buffers.
 */
#ifndef PROBE_IFACE_H
#define PROBE_IFACE_H

#include "probe.h"

/* What the system says about one address (IFA_F_* in spirit). */
#define IA_TEMPORARY	0x001	/* privacy address (RFC 8981) */
#define IA_DEPRECATED	0x002	/* preferred lifetime over */
#define IA_TENTATIVE	0x004	/* duplicate address detection running */
#define IA_DUPLICATE	0x008	/* DAD failed: another host has it */
#define IA_OPTIMISTIC	0x010	/* used before DAD is done (RFC 4429) */
#define IA_PERMANENT	0x020	/* configured by hand: static */
#define IA_STABLE	0x040	/* stable-privacy identifier (RFC 7217) */
#define IA_MNGTMP	0x080	/* the base temporaries are made from */
#define IA_SECONDARY	0x100	/* IPv4: not the primary of its subnet */

#define IA_FOREVER	0xffffffffUL	/* an infinite lifetime */

/* One address of the interface. */
struct ia {
	struct addr	 addr;
	unsigned int	 plen;		/* prefix length */
	unsigned int	 flags;		/* IA_* */
	unsigned long	 preferred;	/* seconds left, IA_FOREVER */
	unsigned long	 valid;
};

/* What a reader found: the interface's addresses, or the names there are. */
struct ia_table {
	int		 found;		/* the interface exists */
	int		 flags_known;	/* flags and lifetimes are real */
	struct ia	*v;
	size_t		 n;
	char		*names;		/* !found: "lo, eth0"; malloc'd */
};

/* The options of one iface entry, parsed. */
struct iface_opts {
	const char	*ifname;	/* "interface": points into the json */
	int		 has_prefix;
	struct addr	 prefix;
	unsigned int	 prefix_len;
	int		 has_suffix;
	struct addr	 suffix;
	unsigned int	 suffix_len;	/* the prefix length it follows */
	long		 index;		/* -1: the first */
	int		 temporary;	/* temporary addresses may be chosen */
	int		 ula;		/* ULAs may be chosen (and are valid) */
};

/*
 * Parse and check opts (an iface entry, "source" included) for family
 * fam into *o: 0, or -1 with *key (static, the key at fault or NULL) and
 * *why (malloc'd).
 */
int	 iface_opts_parse(json_t *opts, enum fam fam, struct iface_opts *o,
	    const char **key, char **why);

/*
 * The choice rules (pure): pick the address of family fam from t per o,
 * validated under allow. 0 and *out set, *what (malloc'd) describing it
 * ("stable, preferred forever"); or -1 and *why (malloc'd, label first)
 * naming every address found and why each was refused.
 */
int	 iface_choose(const struct ia_table *t, enum fam fam,
	    const struct iface_opts *o, unsigned int allow, const char *label,
	    struct addr *out, char **what, char **why);

/*
 * Read interface name's addresses into t (caller frees with
 * ia_table_free), by deadline (probe_now_ms): 0, or -1 with *why
 * (malloc'd) when the system could not be asked. A missing interface is
 * not an error: t->found is 0 and t->names lists those there are.
 */
int	 ifaddrs_read(const char *name, struct ia_table *t, long deadline,
	    char **why);
void	 ia_table_free(struct ia_table *);

#ifndef _WIN32
/*
 * The same with getifaddrs(3), which every Unix has but which says
 * nothing of flags or lifetimes (t->flags_known 0): what ifaddrs_read
 * falls back on where there is no netlink.
 */
int	 ifaddrs_getifaddrs(const char *name, struct ia_table *t, char **why);
#endif

/*
 * Pure (used on Windows, tested everywhere): among one adapter's
 * addresses v[0..n), a "temporary" one whose interface identifier is the
 * link-local address's is Windows' public address: mark it stable.
 */
void	 ifaddrs_win_public(struct ia *v, size_t n);

/* Append a to t; 0/-1 (ENOMEM). */
int	 ia_table_add(struct ia_table *t, const struct ia *a);

#ifdef __linux__
/*
 * Pure: parse one buffer of an RTM_GETADDR dump reply (sequence seq) into
 * t, keeping the addresses of interface ifindex. 1 when the dump's end
 * (NLMSG_DONE) was in it, 0 when more is to come, 2 when the kernel says
 * the dump was interrupted by a change (start again), -1 with *why
 * (static) on a malformed or refused reply.
 */
int	 ifaddrs_nl_parse(const void *buf, size_t len, unsigned int seq,
	    unsigned int ifindex, struct ia_table *t, const char **why);
#endif

#endif /* PROBE_IFACE_H */
