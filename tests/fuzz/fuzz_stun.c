/*
 * libFuzzer harness for the stun source's reply parser (make fuzz). The
 * transaction id expected is the one in the input, so the fuzzer gets
 * past the id check into the attributes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/udp.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	unsigned char	 txid[12] = { 0 };
	struct addr	 a;
	unsigned int	 port;
	char		*why = NULL;

	if (len >= 20)
		memcpy(txid, p + 8, 12);
	(void)stun_parse(txid, (len > 0 && (p[len - 1] & 1)) ? FAM_V6 : FAM_V4,
	    p, len, &a, &port, &why);
	free(why);
	return 0;
}
