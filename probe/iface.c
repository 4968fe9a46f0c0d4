/*
 * The "iface" source: the address of a network interface of this machine,
 * read by probe/ifaddrs.c, chosen by the rules below (documented in
 * ddnsup(1), PROBES, iface).
 *
 * IPv6: an interface usually holds several global addresses at once and
 * most clients publish the wrong one. Only global unicast addresses are
 * candidates; temporary (privacy, RFC 8981), deprecated (preferred
 * lifetime over), tentative, optimistic and duplicate (RFC 4862 DAD)
 * addresses never are, nor unique local ones (fc00::/7) unless asked.
 * Among the candidates: global before ULA, non-temporary before temporary
 * (when those are asked for), stable (static, RFC 7217 stable-privacy or
 * EUI-64) before others, then the longest preferred lifetime, then the
 * lowest address, so the same table always gives the same answer. The
 * options prefix, suffix and index narrow the choice.
 *
 * IPv4: the interface's addresses under the same validation as every
 * source (probe_accept); a private or shared (100.64/10) one gets the
 * sentence a user needs: the machine is behind a router, or behind
 * carrier-grade NAT. Primary before secondary, then the lowest address.
 *
 * iface_opts_parse and iface_choose are pure, for the unit tests.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface.h"

#define INDEX_MAX	1023
#define NAME_MAX_LEN	256

#define PRIVATE_WHY	"this machine is behind a router; its public address " \
	"is on the router's WAN side \xe2\x80\x94 use an http or stun source " \
	"(or router) instead"
#define CGNAT_WHY	"this network is behind carrier-grade NAT: inbound " \
	"connections cannot reach it; ask the ISP for a public IPv4 or use IPv6"

static int	 iface_check(json_t *, enum fam, const char **, char **);
static int	 iface_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_iface = {
	.name = "iface",
	.shorthand = "interface",
	.check = iface_check,
	.run = iface_run,
};

static const char *const keys[] = {
	"source", "interface", "prefix", "suffix", "index", "temporary", "ula",
	NULL
};

/* A candidate and what ranks it. */
struct cand {
	const struct ia	*ia;
	int		 ula;
	int		 temporary;
	int		 stable;
	int		 secondary;
};

/* 1 if the interface identifier of a looks made from a MAC (EUI-64). */
static int
eui64(const struct addr *a)
{
	return a->bytes[11] == 0xff && a->bytes[12] == 0xfe;
}

/* 1 if bits [from, to) of a are all zero. */
static int
bits_zero(const unsigned char *a, unsigned int from, unsigned int to)
{
	unsigned int	 i;

	for (i = from; i < to; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

/* 1 if bits [from, to) of a and b agree. */
static int
bits_equal(const unsigned char *a, const unsigned char *b, unsigned int from,
    unsigned int to)
{
	unsigned int	 i;
	unsigned char	 m;

	for (i = from; i < to; i++) {
		m = 0x80 >> (i % 8);
		if ((a[i / 8] & m) != (b[i / 8] & m))
			return 0;
	}
	return 1;
}

/*
 * Parse "address/len" (need_len) or "address[/len]" of family fam from s
 * into *a and *len (dflt when absent); 0, or -1 with *why (malloc'd).
 */
static int
parse_net(const char *s, enum fam fam, int need_len, unsigned int dflt,
    const char *what, struct addr *a, unsigned int *len, char **why)
{
	char		 buf[64], *slash, *end;
	unsigned int	 bits = fam == FAM_V4 ? 32 : 128;
	long		 n;

	if (strlen(s) >= sizeof(buf)) {
		*why = xasprintf("%s \"%.64s...\" is too long", what, s);
		return -1;
	}
	memcpy(buf, s, strlen(s) + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (addr_parse(buf, fam, a) == -1) {
		*why = xasprintf("%s \"%s\" is not an %s %s", what, s,
		    fam_name(fam), need_len ? "prefix (address/length)" :
		    "address or address/length");
		return -1;
	}
	if (slash == NULL) {
		if (need_len || dflt == 0) {
			*why = xasprintf("%s \"%s\" needs a length, such as "
			    "\"%s/%u\"", what, s, buf, fam == FAM_V4 ? 24 : 64);
			return -1;
		}
		*len = dflt;
		return 0;
	}
	errno = 0;
	n = strtol(slash, &end, 10);
	if (*slash < '0' || *slash > '9' || *end != '\0' || errno != 0 ||
	    n < 0 || n > (long)bits) {
		*why = xasprintf("%s \"%s\": the length must be 0 to %u",
		    what, s, bits);
		return -1;
	}
	*len = (unsigned int)n;
	return 0;
}

/* Parse and check an iface entry: see iface.h. */
int
iface_opts_parse(json_t *opts, enum fam fam, struct iface_opts *o,
    const char **key, char **why)
{
	const char	*k, *s;
	json_t		*v;
	size_t		 i;
	unsigned int	 bits = fam == FAM_V4 ? 32 : 128;

	memset(o, 0, sizeof(*o));
	o->index = -1;
	*key = NULL;
	json_object_foreach(opts, k, v) {
		for (i = 0; keys[i] != NULL && strcmp(keys[i], k) != 0; i++)
			;
		if (keys[i] == NULL) {
			*why = xasprintf("unknown key \"%s\" (iface takes: "
			    "interface, prefix, suffix, index, temporary, "
			    "ula)", k);
			return -1;
		}
	}
	v = json_object_get(opts, "interface");
	if (v == NULL) {
		*why = xasprintf("needs \"interface\", the interface to read "
		    "(\"iface:eth0\" or {\"source\": \"iface\", "
		    "\"interface\": \"eth0\"})");
		return -1;
	}
	*key = "interface";
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > NAME_MAX_LEN ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		*why = xasprintf("expected an interface name such as \"eth0\"");
		return -1;
	}
	o->ifname = json_string_value(v);
	if ((v = json_object_get(opts, "prefix")) != NULL) {
		*key = "prefix";
		if (!json_is_string(v)) {
			*why = xasprintf("expected a string such as \"%s\"",
			    fam == FAM_V4 ? "203.0.113.0/24" :
			    "2001:db8:1::/48");
			return -1;
		}
		s = json_string_value(v);
		if (parse_net(s, fam, 1, 0, "prefix", &o->prefix,
		    &o->prefix_len, why) == -1)
			return -1;
		if (!bits_zero(o->prefix.bytes, o->prefix_len, bits)) {
			*why = xasprintf("prefix \"%s\" has bits set after its "
			    "first %u", s, o->prefix_len);
			return -1;
		}
		o->has_prefix = 1;
	}
	if ((v = json_object_get(opts, "suffix")) != NULL) {
		*key = "suffix";
		if (!json_is_string(v)) {
			*why = xasprintf("expected a string such as \"%s\"",
			    fam == FAM_V4 ? "0.0.0.20/24" : "::1234");
			return -1;
		}
		s = json_string_value(v);
		if (parse_net(s, fam, 0, fam == FAM_V6 ? 64 : 0, "suffix",
		    &o->suffix, &o->suffix_len, why) == -1)
			return -1;
		if (o->suffix_len == bits) {
			*why = xasprintf("suffix \"%s\" leaves no host part",
			    s);
			return -1;
		}
		if (!bits_zero(o->suffix.bytes, 0, o->suffix_len)) {
			*why = xasprintf("suffix \"%s\" has bits set in its "
			    "first %u, which belong to the prefix", s,
			    o->suffix_len);
			return -1;
		}
		o->has_suffix = 1;
	}
	if ((v = json_object_get(opts, "index")) != NULL) {
		*key = "index";
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > INDEX_MAX) {
			*why = xasprintf("expected an integer from 0 to %d",
			    INDEX_MAX);
			return -1;
		}
		o->index = (long)json_integer_value(v);
	}
	for (i = 0; i < 2; i++) {
		k = i == 0 ? "temporary" : "ula";
		if ((v = json_object_get(opts, k)) == NULL)
			continue;
		*key = i == 0 ? "temporary" : "ula";
		if (!json_is_boolean(v)) {
			*why = xasprintf("expected true or false");
			return -1;
		}
		if (fam == FAM_V4) {
			*why = xasprintf("\"%s\" is for IPv6 sources only", k);
			return -1;
		}
		if (i == 0)
			o->temporary = json_is_true(v);
		else
			o->ula = json_is_true(v);
	}
	*key = NULL;
	return 0;
}

/* The source's check: see struct probe_source. */
static int
iface_check(json_t *opts, enum fam fam, const char **key, char **why)
{
	struct iface_opts	 o;

	return iface_opts_parse(opts, fam, &o, key, why);
}

/* Append ", " (unless first) and piece to *s; takes piece. */
static void
list_add(char **s, char *piece)
{
	char	*t;

	if (piece == NULL)
		return;
	if (*s == NULL) {
		*s = piece;
		return;
	}
	t = xasprintf("%s, %s", *s, piece);
	free(piece);
	if (t != NULL) {
		free(*s);
		*s = t;
	}
}

/*
 * Why a (of the family asked) is not a candidate, as a phrase for the
 * list ("temporary", "outside 2001:db8::/48"); NULL if it is one. *range
 * is set to the refusing range name when validation refused it.
 */
static char *
refuse(const struct ia *a, const struct iface_opts *o, unsigned int allow,
    int flags_known, const char **range)
{
	struct probe_conf	 conf;
	const char		*r;
	char			*why;
	unsigned int		 bits = a->addr.fam == FAM_V4 ? 32 : 128;

	*range = NULL;
	r = addr_range(&a->addr);
	if (a->addr.fam == FAM_V6 && r != NULL && (strcmp(r, "link-local") ==
	    0 || strcmp(r, "loopback") == 0 || strcmp(r, "multicast") == 0 ||
	    strcmp(r, "unspecified") == 0))
		return xasprintf("%s", r);
	/* Global unicast is 2000::/3; a ULA is judged below. */
	if (a->addr.fam == FAM_V6 && (a->addr.bytes[0] & 0xe0) != 0x20 &&
	    (r == NULL || strcmp(r, "ula") != 0))
		return xasprintf("not global unicast");
	if (o->has_prefix && !bits_equal(a->addr.bytes, o->prefix.bytes, 0,
	    o->prefix_len)) {
		return xasprintf("outside %s/%u", o->prefix.text,
		    o->prefix_len);
	}
	if (o->has_suffix && !bits_equal(a->addr.bytes, o->suffix.bytes,
	    o->suffix_len, bits))
		return xasprintf("host part not %s/%u", o->suffix.text,
		    o->suffix_len);
	if (a->addr.fam == FAM_V6 && flags_known) {
		if (a->flags & IA_DUPLICATE)
			return xasprintf("duplicate (DAD failed)");
		if (a->flags & IA_OPTIMISTIC)	/* tentative too */
			return xasprintf("optimistic (DAD not done)");
		if (a->flags & IA_TENTATIVE)
			return xasprintf("tentative (DAD not done)");
		if ((a->flags & IA_DEPRECATED) || a->preferred == 0)
			return xasprintf("deprecated");
		if ((a->flags & IA_TEMPORARY) && !o->temporary)
			return xasprintf("temporary");
	}
	if (r != NULL && strcmp(r, "ula") == 0 && !o->ula &&
	    !(allow & addr_range_bit("ula")))
		return xasprintf("ULA");
	/* The one validation every source applies, with "ula" granted. */
	memset(&conf, 0, sizeof(conf));
	conf.allow = allow | (o->ula ? addr_range_bit("ula") : 0);
	if (probe_accept(&conf, &a->addr, "iface", &why) == 0)
		return NULL;
	free(why);
	*range = r;
	return xasprintf("%s", r != NULL ? r : "not public");
}

/* qsort order of candidates: the best first. */
static int
cand_cmp(const void *pa, const void *pb)
{
	const struct cand	*a = pa, *b = pb;

	if (a->ula != b->ula)
		return a->ula - b->ula;
	if (a->temporary != b->temporary)
		return a->temporary - b->temporary;
	if (a->stable != b->stable)
		return b->stable - a->stable;
	if (a->secondary != b->secondary)
		return a->secondary - b->secondary;
	if (a->ia->preferred != b->ia->preferred)
		return a->ia->preferred > b->ia->preferred ? -1 : 1;
	return memcmp(a->ia->addr.bytes, b->ia->addr.bytes, 16);
}

/* What kind of address c is, for messages; static. */
static const char *
cand_kind(const struct cand *c, int flags_known)
{
	if (c->ia->addr.fam == FAM_V4)
		return c->secondary ? "secondary" : "primary";
	if (flags_known && (c->ia->flags & IA_PERMANENT))
		return "static";
	if (flags_known && (c->ia->flags & IA_STABLE))
		return "stable-privacy";
	if (eui64(&c->ia->addr))
		return "EUI-64";
	if (c->temporary)
		return "temporary";
	return flags_known ? "dynamic" : "flags unknown";
}

/* The IPv4 refusal sentence for a lone refused address a in range r. */
static char *
v4_sentence(const char *label, const struct ia *a, const char *r)
{
	if (strcmp(r, "private") == 0)
		return xasprintf("%s: %s is a private address: %s", label,
		    a->addr.text, PRIVATE_WHY);
	if (strcmp(r, "cgnat") == 0)
		return xasprintf("%s: %s is a shared (carrier-grade NAT) "
		    "address: %s", label, a->addr.text, CGNAT_WHY);
	return xasprintf("%s: %s is in %s: %s", label, a->addr.text, r,
	    addr_range_why(r));
}

/* Pick the address of family fam from t: see iface.h. */
int
iface_choose(const struct ia_table *t, enum fam fam,
    const struct iface_opts *o, unsigned int allow, const char *label,
    struct addr *out, char **what, char **why)
{
	struct cand	*c = NULL;
	const char	*range, *lone_range = NULL;
	const struct ia	*lone = NULL;
	char		*refused = NULL, *r, *ok = NULL;
	size_t		 i, n = 0, nfam = 0, nrefused = 0;
	int		 priv = 0, cgnat = 0, rc = -1;

	*what = *why = NULL;
	if (t->n > 0 && (c = calloc(t->n, sizeof(*c))) == NULL) {
		*why = xasprintf("%s: out of memory", label);
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		if (t->v[i].addr.fam != fam)
			continue;
		nfam++;
		if ((r = refuse(&t->v[i], o, allow, t->flags_known,
		    &range)) != NULL) {
			list_add(&refused, xasprintf("%s %s",
			    t->v[i].addr.text, r));
			free(r);
			nrefused++;
			lone = &t->v[i];
			lone_range = range;
			if (range != NULL && strcmp(range, "private") == 0)
				priv = 1;
			if (range != NULL && strcmp(range, "cgnat") == 0)
				cgnat = 1;
			continue;
		}
		c[n].ia = &t->v[i];
		c[n].ula = fam == FAM_V6 && (range = addr_range(&t->v[i].addr))
		    != NULL && strcmp(range, "ula") == 0;
		c[n].temporary = t->flags_known &&
		    (t->v[i].flags & IA_TEMPORARY) != 0;
		c[n].stable = fam == FAM_V6 && ((t->flags_known &&
		    (t->v[i].flags & (IA_PERMANENT | IA_STABLE))) ||
		    eui64(&t->v[i].addr));
		c[n].secondary = (t->v[i].flags & IA_SECONDARY) != 0;
		n++;
	}
	if (n > 1)
		qsort(c, n, sizeof(*c), cand_cmp);
	if (nfam == 0)
		*why = xasprintf("%s: no %s address on %s", label,
		    fam_name(fam), o->ifname);
	else if (n == 0 && fam == FAM_V4 && nrefused == 1 &&
	    lone_range != NULL)
		*why = v4_sentence(label, lone, lone_range);
	else if (n == 0)
		*why = xasprintf("%s: no usable %s address: %s%s%s%s%s", label,
		    fam_name(fam), refused != NULL ? refused : "",
		    priv ? "; " : "", priv ? PRIVATE_WHY : "",
		    cgnat ? "; " : "", cgnat ? CGNAT_WHY : "");
	else if (o->index >= 0 && (size_t)o->index >= n) {
		for (i = 0; i < n; i++)
			list_add(&ok, xasprintf("%s", c[i].ia->addr.text));
		*why = xasprintf("%s: no %s address at index %ld: %zu "
		    "qualif%s (%s)%s%s", label, fam_name(fam), o->index, n,
		    n == 1 ? "ies" : "y", ok != NULL ? ok : "",
		    refused != NULL ? "; refused: " : "",
		    refused != NULL ? refused : "");
	} else {
		i = o->index >= 0 ? (size_t)o->index : 0;
		*out = c[i].ia->addr;
		if (c[i].ia->preferred == IA_FOREVER || !t->flags_known)
			*what = xasprintf("%s%s, %zu of %zu %s addresses "
			    "qualified", cand_kind(&c[i], t->flags_known),
			    t->flags_known ? ", preferred forever" : "", n,
			    nfam, fam_name(fam));
		else
			*what = xasprintf("%s, preferred %lu s, %zu of %zu %s "
			    "addresses qualified", cand_kind(&c[i],
			    t->flags_known), c[i].ia->preferred, n, nfam,
			    fam_name(fam));
		rc = 0;
	}
	if (rc == -1 && *why == NULL)
		*why = xasprintf("%s: out of memory", label);
	free(ok);
	free(refused);
	free(c);
	return rc;
}

/* A lifetime as text into buf: "forever" or "3600 s". */
static void
lft(char *buf, size_t sz, unsigned long v)
{
	if (v == IA_FOREVER)
		snprintf(buf, sz, "forever");
	else
		snprintf(buf, sz, "%lu s", v);
}

/* Say at -vv what the system said about each of t's addresses. */
static void
table_log(const char *label, const struct ia_table *t)
{
	static const struct {
		unsigned int	 bit;
		const char	*name;
	} fl[] = {
		{ IA_TEMPORARY, " temporary" },
		{ IA_DEPRECATED, " deprecated" },
		{ IA_TENTATIVE, " tentative" },
		{ IA_DUPLICATE, " dadfailed" },
		{ IA_OPTIMISTIC, " optimistic" },
		{ IA_PERMANENT, " permanent" },
		{ IA_STABLE, " stable-privacy" },
		{ IA_MNGTMP, " mngtmpaddr" },
		{ IA_SECONDARY, " secondary" },
	};
	char		 flags[160], pref[24], valid[24];
	size_t		 i, j;

	for (i = 0; i < t->n; i++) {
		flags[0] = '\0';
		for (j = 0; j < sizeof(fl) / sizeof(fl[0]); j++)
			if (t->v[i].flags & fl[j].bit)
				strncat(flags, fl[j].name,
				    sizeof(flags) - strlen(flags) - 1);
		if (!t->flags_known) {
			log_debug("probe: %s: %s/%u (flags unknown)", label,
			    t->v[i].addr.text, t->v[i].plen);
			continue;
		}
		lft(pref, sizeof(pref), t->v[i].preferred);
		lft(valid, sizeof(valid), t->v[i].valid);
		log_debug("probe: %s: %s/%u%s, preferred %s, valid %s", label,
		    t->v[i].addr.text, t->v[i].plen, flags, pref, valid);
	}
}

/* The source's run: see struct probe_source. */
static int
iface_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	struct iface_opts	 o[FAM_MAX];
	struct ia_table		 t;
	const char		*key, *name = NULL, *label;
	char			*err = NULL, *what;
	long			 t0;
	int			 f, rc = 0, have = 0;

	t0 = probe_now_ms();
	memset(&t, 0, sizeof(t));
	for (f = 0; f < FAM_MAX; f++) {
		if (step[f] == NULL)
			continue;
		if (iface_opts_parse(step[f]->opts, f, &o[f], &key,
		    &err) == -1) {
			/* config.c checked it: only ENOMEM gets here */
			res[f].why = xasprintf("%s: %s", step[f]->label,
			    err != NULL ? err : "out of memory");
			free(err);
			err = NULL;
			rc = -1;
			continue;
		}
		/* Both families' steps name the same interface or not. */
		if (have && strcmp(name, o[f].ifname) != 0) {
			ia_table_free(&t);
			have = 0;
		}
		if (!have) {
			name = o[f].ifname;
			if (ifaddrs_read(name, &t, deadline, &err) == -1) {
				res[f].why = xasprintf("%s: %s",
				    step[f]->label, err);
				free(err);
				err = NULL;
				ia_table_free(&t);
				rc = -1;
				continue;
			}
			have = 1;
			table_log(step[f]->label, &t);
		}
		label = step[f]->label;
		if (!t.found) {
			res[f].why = xasprintf("%s: no interface \"%s\" here "
			    "(interfaces: %s)", label, name, t.names != NULL ?
			    t.names : "none");
			rc = -1;
			continue;
		}
		if (!t.flags_known)
			log_info("%s: this system does not say which addresses "
			    "are temporary, deprecated or tentative", label);
		if (iface_choose(&t, f, &o[f], conf->allow, label,
		    &res[f].addr, &what, &res[f].why) == -1) {
			log_info("probe: %s", res[f].why);
			rc = -1;
			continue;
		}
		res[f].ok = 1;
		res[f].agree = 1;
		res[f].source = xasprintf("%s", label);
		res[f].ms = probe_now_ms() - t0;
		log_info("probe: %s: %s (%s)", label, res[f].addr.text, what);
		free(what);
	}
	ia_table_free(&t);
	return rc;
}
