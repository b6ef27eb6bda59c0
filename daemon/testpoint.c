/* Fault injection for tests (testpoint.h). */
#include "testpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlog.h"

void testpoint(const char *point)
{
	const char *want = getenv("CACHETD_TEST_DIE_AT");

	if (!want || strcmp(want, point) != 0)
		return;
	dlog("test point '%s': dying by SIGKILL as CACHETD_TEST_DIE_AT asks", point);
	kill(getpid(), SIGKILL);
}
