/*
 * libFuzzer harness for dnswire.c and the dns source's reply judgement
 * (make fuzz). Half the inputs are judged against the question and id
 * they carry themselves, so the fuzzer gets past the id and question
 * checks into the answer section; every section is also walked RR by
 * RR with each rdata reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnswire.h"
#include "probe/udp.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Walk every section of p, reading each RR's data as every type. */
static void
walk(const uint8_t *p, size_t len)
{
	struct dns_msg	 m;
	struct dns_rr	 rr;
	struct addr	 a;
	char		 name[DNS_NAMEBUF], txt[256];
	const char	*why;
	size_t		 off = DNS_HDRLEN;
	uint16_t	 type, class;
	int		 s, i;

	if (dns_msg_init(&m, p, len, &why) == -1)
		return;
	for (i = 0; i < m.count[0]; i++)
		if (dns_get_question(&m, &off, name, &type, &class, &why) == -1)
			return;
	for (s = 1; s < 4; s++)
		for (i = 0; i < m.count[s]; i++) {
			if (dns_get_rr(&m, &off, &rr, &why) == -1)
				return;
			(void)dns_rr_addr(&m, &rr, &a);
			(void)dns_rr_txt(&m, &rr, txt, sizeof(txt), &why);
			(void)dns_rr_target(&m, &rr, name, &why);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct dns_question	 q = { "myip.opendns.com", DNS_T_A, DNS_C_IN, 1 };
	struct dns_msg		 m;
	struct addr		 a;
	char			 qname[DNS_NAMEBUF], *why = NULL;
	const char		*w;
	size_t			 off = DNS_HDRLEN;
	uint16_t		 id = 0x4242;

	walk(p, len);
	if (len > 0 && (p[len - 1] & 1) && dns_msg_init(&m, p, len, &w) == 0 &&
	    dns_get_question(&m, &off, qname, &q.type, &q.class, &w) == 0) {
		q.name = qname;
		id = m.id;
	}
	(void)dnsprobe_answer(&q, id, (len > 1 && (p[len - 2] & 1)) ? FAM_V6 :
	    FAM_V4, p, len, &a, &why);
	free(why);
	return 0;
}
