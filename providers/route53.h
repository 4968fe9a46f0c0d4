/*
 * route53: the pure parts of the AWS Route 53 provider (XML replies read
 * with expat, the change batch written with escaping, the shared
 * credentials file), exported so unit tests can feed them recorded
 * replies.
 */
#ifndef ROUTE53_H
#define ROUTE53_H

#include "../ddnsup.h"

/* A resource record set as ListResourceRecordSets gives it. */
struct r53_rrset {
	long	 ttl;		/* 0 when absent (alias records) */
	size_t	 nvalues;	/* ResourceRecord values */
	char	*value;		/* the first value, or NULL */
	int	 alias;		/* has an AliasTarget */
	int	 policy;	/* has a SetIdentifier (routing policy) */
};

/* Static credentials. */
struct r53_cred {
	char	*access_key;
	char	*secret;
	char	*token;		/* or NULL */
};

/*
 * The outcome an error reply means (<ErrorResponse><Error><Code>,
 * <Message>), with *why (malloc'd, caller frees) quoting the code and the
 * message and, for a refusal, naming what the key needs. *wait is set to
 * the seconds to back off for throttling, else left alone. A reply that
 * is not Route 53 XML is OUT_PROTOCOL (OUT_TEMPFAIL for a 5xx/429).
 */
enum outcome	 r53_parse_error(long status, const char *body, long *wait,
		    char **why);

/* The reply to ListHostedZonesByName for zone (no trailing dot):
 * OUT_CURRENT with *zone_id the malloc'd bare id ("Z1D633PJN98FT9") of the
 * zone of that name, public preferred, or NULL if there is none; else an
 * error outcome with *why. */
enum outcome	 r53_parse_zones(long status, const char *body,
		    const char *zone, char **zone_id, long *wait, char **why);

/* The reply to ListResourceRecordSets: OUT_CURRENT with *found 1 and
 * *have filled (caller r53_rrset_free()s) if the first set returned is
 * name (no trailing dot) of type, else *found 0; or an error outcome
 * with *why. */
enum outcome	 r53_parse_rrsets(long status, const char *body,
		    const char *name, const char *type, struct r53_rrset *have,
		    int *found, long *wait, char **why);

/* The reply to ChangeResourceRecordSets or GetChange: OUT_CURRENT with
 * *id the bare change id and *st its Status ("PENDING", "INSYNC"), both
 * malloc'd; or an error outcome with *why. */
enum outcome	 r53_parse_change(long status, const char *body, char **id,
		    char **st, long *wait, char **why);

/* The ChangeResourceRecordSetsRequest XML that UPSERTs name (no trailing
 * dot) of type with one value and ttl; malloc'd, NULL on ENOMEM. */
char		*r53_change_xml(const char *name, const char *type, long ttl,
		    const char *value);

/* name as Route 53 writes it ("\052.example.com.") made plain: octal
 * escapes decoded, trailing dot dropped. malloc'd, NULL on ENOMEM. */
char		*r53_unescape(const char *name);

/* text with &, <, >, " and ' escaped for XML; malloc'd, NULL on ENOMEM. */
char		*r53_xml_escape(const char *text);

/*
 * Read profile's keys from a shared credentials file's text (INI:
 * "[profile]" sections, "key = value", "#"/";" comment lines). 0 with
 * *cred filled (caller r53_cred_free()s); 1 if there is no such profile;
 * -1 with *why (malloc'd) for a malformed file (with the line number) or
 * a profile without aws_access_key_id and aws_secret_access_key.
 */
int		 r53_cred_parse(const char *text, const char *profile,
		    struct r53_cred *cred, char **why);

void		 r53_rrset_free(struct r53_rrset *);
void		 r53_cred_free(struct r53_cred *);

#endif /* ROUTE53_H */
