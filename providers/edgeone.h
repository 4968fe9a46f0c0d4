/*
 * edgeone: the pure parts of the Tencent Cloud EdgeOne DNS record
 * provider (request bodies, reply parsing, the stored id), exported so
 * unit tests can check them. Signing and sending are tencentcloud.h's.
 */
#ifndef EDGEONE_H
#define EDGEONE_H

#include "../ddnsup.h"

/* A record as DescribeDnsRecords returns it (the fields we compare). */
struct eo_rec {
	char	*id;		/* RecordId, "record-..." */
	char	*content;
	char	*location;
	long	 ttl;
};

/* Request bodies (compact JSON, malloc'd, NULL on ENOMEM). ttl 0 leaves
 * TTL out. */
char		*eo_body_zones(const char *zone);
char		*eo_body_list(const char *zone_id, const char *name,
		    const char *type);
char		*eo_body_create(const char *zone_id, const char *name,
		    const char *type, const char *content,
		    const char *location, long ttl);
char		*eo_body_modify(const char *zone_id, const char *record_id,
		    const char *name, const char *type, const char *content,
		    const char *location, long ttl);

/* The ZoneId of the zone called zone in a DescribeZones Response into
 * *zone_id (malloc'd; NULL when there is none). 0, or -1 with *why when
 * the list is malformed. */
int		 eo_parse_zones(json_t *response, const char *zone,
		    char **zone_id, char **why);

/*
 * The DescribeDnsRecords Response: the first record called name of type
 * type on location into *have (caller eo_rec_free()s), *count the number
 * that match. 0, or -1 with *why when the list is malformed.
 */
int		 eo_parse_list(json_t *response, const char *name,
		    const char *type, const char *location, struct eo_rec *have,
		    size_t *count, char **why);

/* The RecordId of a CreateDnsRecord Response, malloc'd; NULL when absent
 * or unusable (*why set) or on ENOMEM. */
char		*eo_parse_id(json_t *response, char **why);

/* 1 if s is a usable ZoneId or RecordId (letters, digits, '-', '_'). */
int		 eo_id_ok(const char *s);

/* Split a stored "ZoneId/RecordId" into its parts (both malloc'd); 0, or
 * -1 (nothing allocated) when it is not of that form. */
int		 eo_split_id(const char *stored, char **zone_id,
		    char **record_id);

void		 eo_rec_free(struct eo_rec *);

#endif /* EDGEONE_H */
