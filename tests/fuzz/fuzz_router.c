/*
 * libFuzzer harness for the router source's parsers (make fuzz, once
 * "router" is in FUZZ_NAMES). The first byte picks the parser: NAT-PMP
 * reply, SSDP reply, IGD description, SOAP reply, /proc/net/route text;
 * the rest is its input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/router.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct upnp_svc	 svc[UPNP_SVC_MAX];
	struct addr	 a;
	char		 loc[512], *why = NULL, *s;
	size_t		 i, n = 0;

	if (len == 0)
		return 0;
	switch (p[0] % 5) {
	case 0:
		(void)natpmp_parse(p + 1, len - 1, &a, &why);
		break;
	case 1:
		(void)ssdp_location((const char *)p + 1, len - 1, loc,
		    sizeof(loc));
		break;
	case 2:
		if (upnp_services((const char *)p + 1, len - 1,
		    "http://10.0.0.1:5000/rootDesc.xml", svc, &n, &why) == 0)
			for (i = 0; i < n; i++)
				free(svc[i].control);
		break;
	case 3:
		(void)upnp_soap_parse((const char *)p + 1, len - 1, &a, &why);
		break;
	default:
		if ((s = malloc(len)) == NULL)
			return 0;
		memcpy(s, p + 1, len - 1);
		s[len - 1] = '\0';
		(void)route_gateway(s, &a);
		free(s);
		break;
	}
	free(why);
	return 0;
}
