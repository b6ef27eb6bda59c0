/*
 * Fault injection, for tests only: with CACHETD_TEST_DIE_AT=POINT in its
 * environment, cachetd kills itself with SIGKILL on reaching POINT, exactly
 * as a `kill -9` at that instant would.  Tests use it to hit windows too
 * narrow to reach by timing (cachetd(8), ENVIRONMENT).  Points:
 *   created   DOMAIN_CREATE answered, nothing else done for the domain yet
 *   built     the domain built and booted, before its final state record
 */
#ifndef CACHETD_TESTPOINT_H
#define CACHETD_TESTPOINT_H

void testpoint(const char *point);

#endif
