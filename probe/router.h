/*
 * The pure parts of the router source (probe/router.c), apart so the unit
 * tests can feed them recorded and malicious packets and documents.
 */
#ifndef PROBE_ROUTER_H
#define PROBE_ROUTER_H

#include "probe.h"

#define NATPMP_PORT		5351
#define NATPMP_REQ_LEN		2
#define NATPMP_REPLY_LEN	12
#define UPNP_TYPE_MAX		64	/* bytes of a service type, NUL too */

/* NAT-PMP's external address request (RFC 6886 3.2) into buf; its size. */
size_t	 natpmp_request(unsigned char buf[NATPMP_REQ_LEN]);

/*
 * Judge a NAT-PMP reply (RFC 6886 3.2, 3.5): 0 and *wan set for a valid
 * answer; 1 with *why (malloc'd) when the router answered with an error
 * result code (final: it will not say more); -1 with *why when the packet
 * is not a reply to our request (wrong length, version or opcode), which
 * the caller discards.
 */
int	 natpmp_parse(const unsigned char *buf, size_t len, struct addr *wan,
	    char **why);

/* The SSDP M-SEARCH for search target st; malloc'd. */
char	*ssdp_request(const char *st);

/*
 * The description URL (LOCATION) of an SSDP search reply into loc (size
 * bytes): 0, or -1 if buf is not a "200 OK" with an http:// LOCATION.
 */
int	 ssdp_location(const char *buf, size_t len, char *loc, size_t size);

/* A WAN connection service found in an IGD description. */
struct upnp_svc {
	char	 type[UPNP_TYPE_MAX];	/* one of the known service types */
	char	*control;		/* absolute control URL; malloc'd */
};
#define UPNP_SVC_MAX	8

/*
 * The WANIPConnection:1/2 and WANPPPConnection:1 services of the IGD
 * description doc (fetched from url), in document order, their control
 * URLs resolved against URLBase or url and required to be http:// on
 * url's host: 0 with *n set (>= 1; caller frees each control), or -1 with
 * *why (malloc'd).
 */
int	 upnp_services(const char *doc, size_t len, const char *url,
	    struct upnp_svc svc[UPNP_SVC_MAX], size_t *n, char **why);

/* The SOAP GetExternalIPAddress request body for service type; malloc'd. */
char	*upnp_soap_body(const char *type);

/*
 * The address in a GetExternalIPAddress reply (or the UPnPError of a SOAP
 * fault): 0 with *wan set, or -1 with *why (malloc'd).
 */
int	 upnp_soap_parse(const char *doc, size_t len, struct addr *wan,
	    char **why);

/*
 * The IPv4 default gateway in the text of Linux's /proc/net/route (the
 * default route with the lowest metric): 0 with *gw set, -1 if none.
 */
int	 route_gateway(const char *text, struct addr *gw);

#endif /* PROBE_ROUTER_H */
