/*
 * esa: the pure parts of the Alibaba Cloud ESA (Edge Security
 * Acceleration) DNS record provider, exported so unit tests can feed them
 * recorded replies. Requests are built and signed by aliyun.c.
 */
#ifndef ESA_H
#define ESA_H

#include "../ddnsup.h"

#define ESA_VERSION	"2024-09-10"

/*
 * The reply to ListSites: OUT_CURRENT with *site_id the SiteId (malloc'd
 * decimal) of the site named zone, or NULL when there is none; else an
 * error outcome with *code and *why as aliyun_reply() sets them. Caller
 * frees all three.
 */
enum outcome	 esa_parse_site(long status, const char *body,
		    const char *zone, char **site_id, char **code, char **why);

/* An address record as ListRecords shows it (the fields we use). */
struct esa_rec {
	char		*id;		/* RecordId, decimal */
	char		*type;		/* RecordType: "A/AAAA" */
	char		*value;		/* Data.Value: addresses, ','-separated */
	char		*biz;		/* BizName or NULL */
	long		 ttl;		/* 0 when absent */
	int		 proxied;
};

/*
 * The reply to ListRecords: OUT_CURRENT with *count address records
 * (RecordType "A/AAAA", or "A"/"AAAA") named name, the first in *first
 * (caller esa_rec_free()s; zeroed when *count is 0). Else an error
 * outcome with *code and *why.
 */
enum outcome	 esa_parse_records(long status, const char *body,
		    const char *name, struct esa_rec *first, size_t *count,
		    char **code, char **why);

/*
 * The reply to CreateRecord / UpdateRecord: OUT_UPDATED with *id the
 * RecordId (malloc'd decimal, NULL when the reply has none, as
 * UpdateRecord's), else an error outcome with *code and *why.
 */
enum outcome	 esa_parse_write(long status, const char *body, char **id,
		    char **code, char **why);

/*
 * ESA keeps a name's IPv4 and IPv6 addresses in one "A/AAAA" record whose
 * value is a ','-separated list. The list have with every address of
 * addr's family replaced by addr (where the first of them stood, else at
 * the end), the other family's left as they are: malloc'd, NULL on
 * failure. *changed is 0 when have already held exactly addr for that
 * family.
 */
char		*esa_merge_value(const char *have, const struct addr *addr,
		    int *changed);

void		 esa_rec_free(struct esa_rec *);

#endif /* ESA_H */
