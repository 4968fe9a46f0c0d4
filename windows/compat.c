/*
 * Windows shims for ddnsup.exe (see compat.h). Built by "make windows"
 * only.
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../ddnsup.h"

void
compat_init(void)
{
	/* Messages are UTF-8 (names may be Chinese): tell the console. */
	SetConsoleOutputCP(CP_UTF8);
	/* libcrypto would otherwise read openssl.cnf from the OPENSSLDIR
	 * compiled in, a Unix path that on Windows means a directory at
	 * the root of the current drive, which any user may create: a
	 * scheduled task running as SYSTEM must not load it. We only hash,
	 * sign and draw random bytes, none of which need a config. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}

/* 1 if this process runs as LocalSystem; see compat.h. */
int
compat_is_system(void)
{
	HANDLE		 tok;
	unsigned char	 buf[256];
	DWORD		 n;
	int		 r = 0;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return 0;
	if (GetTokenInformation(tok, TokenUser, buf, sizeof(buf), &n))
		r = IsWellKnownSid(((TOKEN_USER *)buf)->User.Sid,
		    WinLocalSystemSid) != 0;
	CloseHandle(tok);
	return r;
}

/* A malloc'd copy of at most n bytes of s, NUL-ended; NULL on ENOMEM. */
char *
strndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	for (len = 0; len < n && s[len] != '\0'; len++)
		continue;
	n = len;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Zero a secret in a way the compiler may not drop as a dead store. */
void
explicit_bzero(void *p, size_t n)
{
	SecureZeroMemory(p, n);
}
