/*
 * libFuzzer harness for the iface source's pure parts (make fuzz; not in
 * make check). The first input byte picks the target:
 *   0: the rtnetlink dump parser (ifaddrs_nl_parse) on the rest;
 *   1: an iface entry's options (iface_opts_parse) as JSON, both families;
 *   2: the choice rules (iface_choose) over a table built from the rest,
 *      24 bytes an address, with invariants checked on the answer.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/iface.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Target 2: build a table from d and check what iface_choose says. */
static void
fuzz_choose(const uint8_t *d, size_t n)
{
	struct ia_table		 t;
	struct iface_opts	 o;
	struct ia		 a;
	struct addr		 out;
	char			*what, *why;
	size_t			 i;
	enum fam		 fam;
	int			 rc, found;

	if (n < 4)
		return;
	memset(&t, 0, sizeof(t));
	memset(&o, 0, sizeof(o));
	t.found = 1;
	t.flags_known = d[0] & 1;
	fam = (d[0] & 2) ? FAM_V6 : FAM_V4;
	o.ifname = "f0";
	o.index = (d[0] & 4) ? d[1] % 8 : -1;
	o.temporary = (d[0] & 8) != 0;
	o.ula = (d[0] & 16) != 0;
	if (d[0] & 32) {
		o.has_prefix = 1;
		o.prefix_len = d[2] % 129;
		(void)addr_parse(fam == FAM_V6 ? "2001:db8::" : "192.0.2.0",
		    fam, &o.prefix);
		if (fam == FAM_V4)
			o.prefix_len %= 33;
	}
	if (d[0] & 64) {
		o.has_suffix = 1;
		o.suffix_len = fam == FAM_V6 ? 64 : 24;
		(void)addr_parse(fam == FAM_V6 ? "::1" : "0.0.0.1", fam,
		    &o.suffix);
	}
	for (i = 4; i + 24 <= n && t.n < 64; i += 24) {
		memset(&a, 0, sizeof(a));
		a.addr.fam = (d[i] & 1) ? FAM_V6 : FAM_V4;
		memcpy(a.addr.bytes, d + i + 1, a.addr.fam == FAM_V6 ? 16 : 4);
		if (inet_ntop(a.addr.fam == FAM_V6 ? AF_INET6 : AF_INET,
		    a.addr.bytes, a.addr.text, sizeof(a.addr.text)) == NULL)
			continue;
		a.flags = (unsigned int)d[i + 17] | (unsigned int)(d[i + 18] &
		    1) << 8;
		a.preferred = (unsigned long)d[i + 19] << 24 |
		    (unsigned long)d[i + 20] << 16 |
		    (unsigned long)d[i + 21] << 8 | d[i + 22];
		if (d[i + 23] == 0xff)
			a.preferred = IA_FOREVER;
		a.valid = IA_FOREVER;
		if (ia_table_add(&t, &a) == -1)
			abort();
	}
	rc = iface_choose(&t, fam, &o, d[3], "iface f0", &out, &what, &why);
	if (rc == 0) {
		if (what == NULL || why != NULL || out.fam != fam)
			abort();
		for (found = 0, i = 0; i < t.n; i++)
			if (addr_equal(&t.v[i].addr, &out))
				found = 1;
		if (!found)
			abort();
		free(what);
	} else {
		if (rc != -1 || why == NULL || what != NULL ||
		    strncmp(why, "iface f0: ", 10) != 0)
			abort();
		free(why);
	}
	ia_table_free(&t);
}

/* One input: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_table		 t;
	struct iface_opts	 o;
	json_t			*j;
	const char		*w, *key;
	char			*why;
	int			 f;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		memset(&t, 0, sizeof(t));
		(void)ifaddrs_nl_parse(data + 1, size - 1, 7, 3, &t, &w);
		ia_table_free(&t);
		break;
	case 1:
		if ((j = json_loadb((const char *)data + 1, size - 1, 0,
		    NULL)) == NULL)
			break;
		for (f = 0; f < FAM_MAX && json_is_object(j); f++) {
			why = NULL;
			if (iface_opts_parse(j, f, &o, &key, &why) == -1 &&
			    why == NULL)
				abort();
			free(why);
		}
		json_decref(j);
		break;
	case 2:
		fuzz_choose(data + 1, size - 1);
		break;
	}
	return 0;
}
