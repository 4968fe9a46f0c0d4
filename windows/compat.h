/*
 * ddnsup: what the Windows (MinGW-w64) build needs that POSIX gives the
 * others. Included by ddnsup.h under _WIN32 only, so the Linux build never
 * sees it; the code in windows/compat.c is linked into ddnsup.exe only.
 */
#ifndef DDNSUP_COMPAT_H
#define DDNSUP_COMPAT_H

#ifdef _WIN32

/* Once, first thing in main: UTF-8 console output, no OpenSSL config
 * file read from a path a user could plant one in. */
void		 compat_init(void);

/* 1 if this process runs as LocalSystem (a task "as SYSTEM"), whose
 * files belong in %ProgramData%, not in its own profile. */
int		 compat_is_system(void);

/* POSIX 2008 and BSD calls msvcrt lacks (compat.c). */
#include <stddef.h>
char		*strndup(const char *, size_t);
#define timegm	_mkgmtime	/* struct tm in UTC to time_t */
void		 explicit_bzero(void *, size_t);

#endif /* _WIN32 */
#endif /* DDNSUP_COMPAT_H */
