/*
 * Address source "dns": names that a DNS server answers with the address
 * the query came from. One UDP round trip per server, the fastest probe
 * there is.
 *
 *   opendns     myip.opendns.com A / AAAA at the OpenDNS resolvers
 *               https://www.opendns.com/ (resolver1-4; 2620:119:35::35,
 *               2620:119:53::53)
 *   cloudflare  whoami.cloudflare TXT, class CH, at 1.1.1.1, 1.0.0.1,
 *               2606:4700:4700::1111, ::1001
 *               https://developers.cloudflare.com/1.1.1.1/
 *   google      o-o.myaddr.l.google.com TXT, class IN, at Google's
 *               authoritative servers ns1/ns2.google.com (no recursion)
 *
 * Quirks handled: an IPv4 address must be asked over IPv4 and an IPv6 one
 * over IPv6, so every server is asked over the family of the entry it
 * serves, at that family's address. Google adds a second TXT string
 * ("edns0-client-subnet ...") when a resolver forwards the query with
 * ECS: a TXT string that is not exactly an address is skipped. A reply is
 * only taken if it comes from the server's address and port and carries
 * our random id and our question; anything else is ignored (a late or
 * forged datagram), and the wait goes on. A truncated reply (TC) or an
 * error RCODE fails that server; there is no TCP fallback, since every
 * answer here fits in a few dozen bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../dnswire.h"
#include "udp.h"

#define DNS_PORT		53
#define DEFAULT_TIMEOUT_MS	5000
#define MAX_SERVERS		16

struct preset {
	const char	*name;
	const char	*qname;
	uint16_t	 type[FAM_MAX];
	uint16_t	 class;
	int		 rd;
	const char	*servers[FAM_MAX][5];
};

static const struct preset presets[] = {
	{ "cloudflare", "whoami.cloudflare", { DNS_T_TXT, DNS_T_TXT },
	  DNS_C_CH, 1, {
		{ "1.1.1.1", "1.0.0.1", NULL },
		{ "2606:4700:4700::1111", "2606:4700:4700::1001", NULL } } },
	{ "google", "o-o.myaddr.l.google.com", { DNS_T_TXT, DNS_T_TXT },
	  DNS_C_IN, 0, {
		{ "216.239.32.10", "216.239.34.10", NULL },
		{ "2001:4860:4802:32::a", "2001:4860:4802:34::a", NULL } } },
	{ "opendns", "myip.opendns.com", { DNS_T_A, DNS_T_AAAA },
	  DNS_C_IN, 1, {
		{ "208.67.222.222", "208.67.220.220", "208.67.222.220",
		  "208.67.220.222", NULL },
		{ "2620:119:35::35", "2620:119:53::53", NULL } } },
};
#define NPRESETS	(sizeof(presets) / sizeof(presets[0]))

static const char *const keys[] = {
	"source", "resolver", "server", "name", "type", "class", "timeout",
	NULL
};

static int	 dns_check(json_t *, enum fam, const char **, char **);
static int	 dns_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);
static enum udp_verdict dns_judge(struct udp_ep *, const unsigned char *,
		    size_t, struct addr *, char **);

const struct probe_source probe_dns = {
	.name = "dns",
	.shorthand = "resolver",
	.check = dns_check,
	.run = dns_run,
};

static const struct udp_proto proto_dns = {
	.name = "dns",
	.sends = 3,		/* rto_ms is set per run: a third of the timeout */
	.judge = dns_judge,
};

/* The preset called name, or NULL. */
static const struct preset *
preset_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NPRESETS; i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

/* The query for q with id into buf; its length or 0. */
size_t
dnsprobe_query(const struct dns_question *q, uint16_t id, unsigned char *buf,
    size_t cap)
{
	struct dns_buf	 b;
	const char	*why;
	size_t		 len;

	dns_buf_init(&b, buf, cap);
	dns_put_header(&b, id, q->rd ? DNS_RD : 0, 1, 0, 0, 0);
	dns_put_question(&b, q->name, q->type, q->class);
	if (dns_finish(&b, &len, &why) == -1)
		return 0;
	return len;
}

/* Name of an RR type we ask for. */
static const char *
type_name(uint16_t t)
{
	return t == DNS_T_A ? "A" : t == DNS_T_AAAA ? "AAAA" : "TXT";
}

/* See udp.h. */
enum udp_verdict
dnsprobe_answer(const struct dns_question *q, uint16_t id, enum fam fam,
    const unsigned char *p, size_t len, struct addr *a, char **why)
{
	struct dns_msg	 m;
	struct dns_rr	 rr;
	char		 name[DNS_NAMEBUF], target[DNS_NAMEBUF];
	char		 txt[256], cname[DNS_NAMEBUF];
	struct addr	 cand, got;
	const char	*w, *other = NULL;
	size_t		 off, start;
	uint16_t	 type, class, i;
	int		 n = 0, hops, moved, skipped = 0;

	*why = NULL;
	if (dns_msg_init(&m, p, len, &w) == -1) {
		*why = xasprintf("%s", w);
		return UDP_IGNORE;
	}
	if (!(m.flags & DNS_QR) || m.id != id ||
	    DNS_OPCODE(m.flags) != DNS_OP_QUERY) {
		*why = xasprintf(m.id != id ? "wrong id" : "not a response "
		    "to a query");
		return UDP_IGNORE;
	}
	off = DNS_HDRLEN;
	if (m.count[0] != 1 || dns_get_question(&m, &off, name, &type, &class,
	    &w) == -1 || !dns_name_eq(name, q->name) || type != q->type ||
	    class != q->class) {
		*why = xasprintf("reply to another question");
		return UDP_IGNORE;
	}
	if (m.flags & DNS_TC) {
		*why = xasprintf("truncated reply (TC set): the answer does "
		    "not fit in a UDP datagram");
		return UDP_FAIL;
	}
	if (DNS_RCODE(m.flags) != 0) {
		*why = xasprintf("%s for %s %s", dns_rcode_name(
		    DNS_RCODE(m.flags)), q->name, type_name(q->type));
		return UDP_FAIL;
	}
	/* Follow CNAMEs from the question's name, in any order. */
	start = off;
	snprintf(target, sizeof(target), "%s", q->name);
	for (hops = 0, moved = 1; moved && hops < 8; hops++) {
		moved = 0;
		off = start;
		for (i = 0; i < m.count[1]; i++) {
			if (dns_get_rr(&m, &off, &rr, &w) == -1) {
				*why = xasprintf("malformed answer: %s", w);
				return UDP_FAIL;
			}
			if (rr.type != DNS_T_CNAME || rr.class != q->class ||
			    !dns_name_eq(rr.name, target))
				continue;
			if (dns_rr_target(&m, &rr, cname, &w) == -1) {
				*why = xasprintf("malformed answer: %s", w);
				return UDP_FAIL;
			}
			memcpy(target, cname, sizeof(target));
			moved = 1;
		}
	}
	off = start;
	for (i = 0; i < m.count[1]; i++) {
		if (dns_get_rr(&m, &off, &rr, &w) == -1) {
			*why = xasprintf("malformed answer: %s", w);
			return UDP_FAIL;
		}
		if (rr.type != q->type || rr.class != q->class ||
		    !dns_name_eq(rr.name, target))
			continue;
		if (rr.type == DNS_T_TXT) {
			if (dns_rr_txt(&m, &rr, txt, sizeof(txt), &w) == -1) {
				*why = xasprintf("malformed TXT record: %s", w);
				return UDP_FAIL;
			}
			if (addr_parse(txt, FAM_MAX, &cand) == -1) {
				skipped++;
				continue;
			}
		} else if (dns_rr_addr(&m, &rr, &cand) == -1) {
			*why = xasprintf("malformed %s record",
			    type_name(rr.type));
			return UDP_FAIL;
		}
		if (cand.fam != fam) {
			other = fam_name(cand.fam);
			continue;
		}
		if (n > 0 && !addr_equal(&cand, &got)) {
			*why = xasprintf("ambiguous: the answer holds %s and "
			    "%s", got.text, cand.text);
			return UDP_FAIL;
		}
		got = cand;
		n++;
	}
	if (n == 0) {
		if (other != NULL)
			*why = xasprintf("the answer holds an %s address, not "
			    "an %s one", other, fam_name(fam));
		else if (skipped)
			*why = xasprintf("no address in the TXT answer");
		else
			*why = xasprintf("no %s record in the answer",
			    type_name(q->type));
		return UDP_FAIL;
	}
	*a = got;
	return UDP_ANSWER;
}

/* The engine's judge: the pure one, for ep's question and id. */
static enum udp_verdict
dns_judge(struct udp_ep *ep, const unsigned char *p, size_t len,
    struct addr *a, char **why)
{
	uint16_t	 id = (uint16_t)(ep->txid[0] << 8 | ep->txid[1]);

	return dnsprobe_answer(ep->q, id, ep->fam, p, len, a, why);
}

/* The RR type named s ("A", "AAAA", "TXT"), or 0. */
static uint16_t
type_parse(const char *s)
{
	if (strcasecmp(s, "A") == 0)
		return DNS_T_A;
	if (strcasecmp(s, "AAAA") == 0)
		return DNS_T_AAAA;
	if (strcasecmp(s, "TXT") == 0)
		return DNS_T_TXT;
	return 0;
}

/*
 * One step's questions and servers for family fam, from its options:
 * fills qs (nq, at most NPRESETS) and eps (ne, at most MAX_SERVERS each
 * pointing at its question). 0, or -1 with *key and *why (malloc'd).
 */
static int
plan(json_t *opts, enum fam fam, struct dns_question *qs, size_t *nq,
    struct udp_ep *eps, size_t *ne, long *timeout, const char **key,
    char **why)
{
	const struct preset	*pr = NULL;
	json_t			*v, *srv, *e;
	const char		*s;
	struct dns_buf		 b;
	unsigned char		 tmp[DNS_UDPMAX];
	size_t			 i, j, k;
	double			 d;

	*nq = *ne = 0;
	*key = NULL;
	*why = NULL;
	json_object_foreach(opts, s, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(keys[i], s) == 0)
				break;
		if (keys[i] == NULL) {
			*why = xasprintf("unknown key \"%s\" (dns takes: "
			    "resolver, server, name, type, class, timeout)", s);
			return -1;
		}
	}
	if ((v = json_object_get(opts, "resolver")) != NULL) {
		*key = "resolver";
		if (!json_is_string(v) ||
		    (pr = preset_find(json_string_value(v))) == NULL) {
			*why = xasprintf("resolver: expected one of cloudflare, "
			    "google, opendns");
			return -1;
		}
	}
	if ((v = json_object_get(opts, "timeout")) != NULL) {
		*key = "timeout";
		d = json_is_number(v) ? json_number_value(v) : -1;
		if (d <= 0 || d > 3600) {
			*why = xasprintf("timeout: expected seconds "
			    "(0 < t <= 3600)");
			return -1;
		}
		*timeout = (long)(d * 1000);
	}
	srv = json_object_get(opts, "server");
	if (srv == NULL && pr == NULL && (json_object_get(opts, "name") ||
	    json_object_get(opts, "type") || json_object_get(opts, "class"))) {
		*key = "server";
		*why = xasprintf("name, type and class need a \"server\" or a "
		    "\"resolver\" preset");
		return -1;
	}
	if (srv != NULL && pr == NULL && json_object_get(opts, "name") ==
	    NULL) {
		*key = "name";
		*why = xasprintf("a \"server\" needs the \"name\" it answers "
		    "with the caller's address, or a \"resolver\" preset");
		return -1;
	}
	/* Just "dns": every preset, every server of the family. */
	for (k = 0; k < NPRESETS; k++) {
		const struct preset *p = pr != NULL ? pr : &presets[k];
		struct dns_question *q = &qs[*nq];

		if (pr == NULL && srv != NULL)
			p = NULL;
		q->name = p != NULL ? p->qname : NULL;
		q->type = p != NULL ? p->type[fam] : (fam == FAM_V4 ?
		    DNS_T_A : DNS_T_AAAA);
		q->class = p != NULL ? p->class : DNS_C_IN;
		q->rd = p != NULL ? p->rd : 0;
		if ((v = json_object_get(opts, "name")) != NULL) {
			*key = "name";
			if (!json_is_string(v)) {
				*why = xasprintf("name: expected a string");
				return -1;
			}
			q->name = json_string_value(v);
			dns_buf_init(&b, tmp, sizeof(tmp));
			dns_put_name(&b, q->name);
			if (b.err != NULL) {
				*why = xasprintf("name: %s", b.err);
				return -1;
			}
		}
		if ((v = json_object_get(opts, "type")) != NULL) {
			*key = "type";
			if (!json_is_string(v) ||
			    (q->type = type_parse(json_string_value(v))) == 0) {
				*why = xasprintf("type: expected A, AAAA or "
				    "TXT");
				return -1;
			}
		}
		if ((q->type == DNS_T_A && fam == FAM_V6) ||
		    (q->type == DNS_T_AAAA && fam == FAM_V4)) {
			*key = v != NULL ? "type" : NULL;
			*why = xasprintf("type %s cannot give an %s address "
			    "(use %s or TXT)", type_name(q->type),
			    fam_name(fam), fam == FAM_V4 ? "A" : "AAAA");
			return -1;
		}
		if ((v = json_object_get(opts, "class")) != NULL) {
			*key = "class";
			s = json_is_string(v) ? json_string_value(v) : "";
			if (strcasecmp(s, "IN") == 0)
				q->class = DNS_C_IN;
			else if (strcasecmp(s, "CH") == 0)
				q->class = DNS_C_CH;
			else {
				*why = xasprintf("class: expected IN or CH");
				return -1;
			}
		}
		(*nq)++;
		*key = "server";
		if (srv != NULL) {
			for (j = 0; j < (json_is_array(srv) ?
			    json_array_size(srv) : 1); j++) {
				e = json_is_array(srv) ? json_array_get(srv, j) :
				    srv;
				if (!json_is_string(e)) {
					*why = xasprintf("server: expected "
					    "\"address[:port]\" or a list of "
					    "them");
					return -1;
				}
				if (*ne == MAX_SERVERS) {
					*why = xasprintf("server: more than %d "
					    "servers", MAX_SERVERS);
					return -1;
				}
				memset(&eps[*ne], 0, sizeof(eps[*ne]));
				if (udp_server(json_string_value(e), fam,
				    DNS_PORT, 0, &eps[*ne], why) == -1) {
					char *t = xasprintf("server: %s", *why);

					free(*why);
					*why = t;
					return -1;
				}
				eps[(*ne)++].q = q;
			}
			if (json_is_array(srv) && json_array_size(srv) == 0) {
				*why = xasprintf("server: expected at least "
				    "one server");
				return -1;
			}
		} else
			for (j = 0; p->servers[fam][j] != NULL; j++) {
				memset(&eps[*ne], 0, sizeof(eps[*ne]));
				if (udp_server(p->servers[fam][j], fam,
				    DNS_PORT, 0, &eps[*ne], why) == -1)
					return -1;
				eps[(*ne)++].q = q;
			}
		if (pr != NULL || srv != NULL)
			break;
	}
	*key = NULL;
	return 0;
}

/* Load-time check of a dns entry; see struct probe_source. */
static int
dns_check(json_t *opts, enum fam fam, const char **key, char **why)
{
	struct dns_question	 qs[NPRESETS];
	struct udp_ep		*eps;
	size_t			 nq, ne;
	long			 t = 0;
	int			 rc;

	if ((eps = calloc(NPRESETS * MAX_SERVERS, sizeof(*eps))) == NULL) {
		*why = NULL;
		return -1;
	}
	rc = plan(opts, fam, qs, &nq, eps, &ne, &t, key, why);
	free(eps);
	return rc;
}

/* The source's run: see struct probe_source. */
static int
dns_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	struct dns_question	 qs[FAM_MAX][NPRESETS];
	struct udp_ep		*eps;
	struct udp_proto	 p = proto_dns;
	size_t			 nq, ne, n = 0, i;
	long			 timeout = 0, t;
	const char		*key;
	char			*why;
	int			 want[FAM_MAX], f, rc;

	eps = calloc(FAM_MAX * NPRESETS * MAX_SERVERS, sizeof(*eps));
	for (f = 0; f < FAM_MAX; f++) {
		want[f] = step[f] != NULL;
		if (!want[f])
			continue;
		if (eps == NULL) {
			res[f].why = xasprintf("%s: out of memory",
			    step[f]->label);
			continue;
		}
		t = 0;
		if (plan(step[f]->opts, f, qs[f], &nq, eps + n, &ne, &t, &key,
		    &why) == -1) {
			/* checked at load time; only the impossible is left */
			res[f].why = xasprintf("%s: %s", step[f]->label,
			    why != NULL ? why : "out of memory");
			free(why);
			want[f] = 0;
			continue;
		}
		if (t > timeout)
			timeout = t;
		n += ne;
	}
	if (eps == NULL)
		return -1;
	if (timeout == 0)
		timeout = conf->timeout_ms > 0 ? conf->timeout_ms :
		    DEFAULT_TIMEOUT_MS;
	/* Send twice more within the timeout: one lost datagram is not a
	 * failed server. */
	p.rto_ms = timeout / 3 > 0 ? timeout / 3 : 1;
	for (i = 0; i < n; i++) {
		struct udp_ep *ep = &eps[i];

		if (udp_random(ep->txid, 2) == -1 || (ep->reqlen =
		    dnsprobe_query(ep->q, (uint16_t)(ep->txid[0] << 8 |
		    ep->txid[1]), ep->req, sizeof(ep->req))) == 0)
			ep->why = xasprintf("cannot build the query");
		log_debug("probe: dns %s: %s %s %s? (%s)", ep->name,
		    ((const struct dns_question *)ep->q)->name,
		    ((const struct dns_question *)ep->q)->class == DNS_C_CH ?
		    "CH" : "IN", type_name(((const struct dns_question *)
		    ep->q)->type), fam_name(ep->fam));
	}
	rc = want[FAM_V4] || want[FAM_V6] ? udp_run(eps, n, &p, conf, want,
	    timeout, deadline, res) : -1;
	for (f = 0; f < FAM_MAX; f++)
		if (step[f] != NULL && !res[f].ok && res[f].why == NULL)
			res[f].why = xasprintf("%s: no %s address",
			    step[f]->label, fam_name(f));
	free(eps);
	return rc;
}
