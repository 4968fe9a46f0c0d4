/*
 * netcup: the pure parts of the netcup CCP DNS API provider (request
 * bodies, reply reading), exported for the unit tests.
 */
#ifndef NETCUP_H
#define NETCUP_H

#include "../ddnsup.h"

/* A DNS record as infoDnsRecords lists it (the fields we compare). */
struct nc_rec {
	char	*id;
	char	*host;		/* relative, "@" for the apex */
	char	*dest;		/* destination */
};

/*
 * The JSON body of a call: {"action":action,"param":{...}} with
 * customernumber and apikey, then apipassword, apisessionid, domainname
 * and dnsrecordset when not NULL (set is borrowed). malloc'd, or NULL
 * out of memory.
 */
char		*nc_body(const char *action, const char *customer,
		    const char *apikey, const char *apipassword,
		    const char *session, const char *domain, json_t *set);

/*
 * Read the reply to action. OUT_CURRENT when status is 200 and the body
 * says "status":"success" with a 2xxx statuscode: *data is its
 * responsedata (a new reference, caller json_decref()s; JSON null when
 * absent). Otherwise the outcome and *why (malloc'd) quoting netcup's
 * statuscode, shortmessage and longmessage with a hint.
 */
enum outcome	 nc_reply(const char *action, long status, const char *body,
		    json_t **data, char **why);

/* The apisessionid of a login's responsedata, malloc'd; NULL if none. */
char		*nc_session(json_t *data);

/*
 * The records of host (case-insensitive) and type in a responsedata with
 * "dnsrecords" (infoDnsRecords, updateDnsRecords). 0 with *count of them
 * and the first in *first (caller nc_rec_free()s; zeroed when none), or
 * -1 with *why (malloc'd) if the list is malformed.
 */
int		 nc_find(json_t *data, const char *host, const char *type,
		    struct nc_rec *first, size_t *count, char **why);

/* The dnsrecordset that writes dest into record id (NULL: a new record
 * of host and type). A new reference, or NULL out of memory. */
json_t		*nc_recordset(const char *id, const char *host,
		    const char *type, const char *dest);

void		 nc_rec_free(struct nc_rec *);

#endif /* NETCUP_H */
