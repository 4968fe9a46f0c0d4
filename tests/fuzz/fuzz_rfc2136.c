/*
 * libFuzzer harness for the rfc2136 provider's reply readers (make fuzz):
 * TSIG verification (with a fixed key and request MAC, at the time the
 * seed was signed, so the MAC, time and error paths are all reachable),
 * the answer's address RRset and the SOA apex test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnswire.h"
#include "providers/rfc2136.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	static struct r2136_key	 k;
	static int		 init;
	/* the MAC of the request the seed answers (test_rfc2136.c) */
	static const unsigned char reqmac[32] = {
		0x6e, 0x68, 0xe4, 0xe3, 0x4b, 0xd2, 0xc5, 0x44, 0xaa, 0x1a,
		0xe8, 0x2f, 0xdc, 0xd8, 0x60, 0xf8, 0x11, 0x06, 0x3b, 0x3b,
		0xec, 0xce, 0x75, 0x6d, 0xd8, 0x8f, 0x22, 0x56, 0xd8, 0x8d,
		0xd4, 0xfd
	};
	struct r2136_reply	 r;
	struct addr		 have[4];
	const char		*why;
	char			*msg;
	size_t			 n;
	uint32_t		 ttl;

	if (!init) {
		if (r2136_key_init(&k, "ddns-key.example", NULL,
		    "ZGRuc3VwIHRlc3Qga2V5IGZvciByZmMyMTM2IHRzaWc=", &msg) ==
		    -1)
			abort();
		init = 1;
	}
	r2136_verify(&k, p, len, reqmac, sizeof(reqmac), 1700000005, &r);
	if (r2136_outcome(1, 1, &r, &k, "example.test", "home.example.test",
	    "A", &msg) != OUT_UPDATED && msg == NULL)
		abort();
	free(msg);
	(void)r2136_answer(p, len, "home.example.test", DNS_T_A, have, 4, &n,
	    &ttl, &why);
	(void)r2136_is_apex(p, len, "example.test", &why);
	return 0;
}
