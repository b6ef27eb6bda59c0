/*
 * xl CPU lists (see cpulist.h).  The grammar is xl's (xl_parse.c,
 * parse_cpurange), with two differences that make mistakes visible rather
 * than silent: empty items and blanks are refused, and a CPU the machine
 * does not have is an error instead of being dropped.
 */
#include "cpulist.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Larger values are reported as they are written, never converted. */
#define CPULIST_NUM_MAX 99999u

struct cpulist_item {
	const char *p;            /* the item's text (not NUL-terminated) */
	size_t len;
	bool negate;              /* '^': remove these CPUs */
};

uint64_t cpulist_all(unsigned int nr_cpus)
{
	if (nr_cpus >= CPULIST_MAX_CPUS)
		return UINT64_MAX;
	return (UINT64_C(1) << nr_cpus) - 1;
}

/* Reads decimal digits at *p (at least one); advances *p. */
static bool cpulist_number(const char **p, const char *end, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		if (v <= CPULIST_NUM_MAX)
			v = v * 10 + (unsigned int)(**p - '0');
		(*p)++;
	}
	*out = v;
	return *p > s;
}

static int cpulist_item_range(const struct cpulist_item *it, unsigned int nr_cpus,
			      uint64_t *range, char *msg, size_t msglen)
{
	const char *p = it->p, *end = it->p + it->len;
	unsigned int lo, hi;

	if (!cpulist_number(&p, end, &lo))
		goto invalid;
	hi = lo;
	if (p < end && *p == '-') {
		p++;
		if (!cpulist_number(&p, end, &hi))
			goto invalid;
	}
	if (p != end)
		goto invalid;
	if (lo > hi) {
		snprintf(msg, msglen, "range '%.*s' goes backwards", (int)it->len, it->p);
		return -1;
	}
	if (hi >= nr_cpus) {
		char have[32];

		if (nr_cpus == 1)
			snprintf(have, sizeof(have), "CPU 0 only");
		else
			snprintf(have, sizeof(have), "CPUs 0-%u", nr_cpus - 1);
		snprintf(msg, msglen, "%s %.*s %s (the machine has %s)", lo == hi ? "CPU" : "CPUs",
			 (int)it->len, it->p, lo == hi ? "does not exist" : "do not all exist", have);
		return -1;
	}
	*range = cpulist_all(hi + 1) & ~cpulist_all(lo);
	return 0;
invalid:
	snprintf(msg, msglen, "invalid item '%s%.*s' (expected all, N, N-M or ^N-M)",
		 it->negate ? "^" : "", (int)it->len, it->p);
	return -1;
}

static bool cpulist_prefix(const struct cpulist_item *it, const char *prefix)
{
	size_t n = strlen(prefix);

	return it->len >= n && strncmp(it->p, prefix, n) == 0;
}

/* Applies one item to *mask. */
static int cpulist_item_apply(struct cpulist_item *it, unsigned int nr_cpus, uint64_t *mask,
			      char *msg, size_t msglen)
{
	uint64_t range;

	if (it->len > 0 && it->p[0] == '^') {
		it->negate = true;
		it->p++;
		it->len--;
	}
	if (it->len == 0) {
		snprintf(msg, msglen, "empty item (items are separated by single commas)");
		return -1;
	}
	if (cpulist_prefix(it, "node:") || cpulist_prefix(it, "nodes:")) {
		snprintf(msg, msglen, "NUMA node items are not supported (the machine has no NUMA nodes)");
		return -1;
	}
	if (it->len == 3 && strncmp(it->p, "all", 3) == 0) {
		/* xl refuses it too: "all" cannot be taken away. */
		if (it->negate) {
			snprintf(msg, msglen, "'^all' is not allowed");
			return -1;
		}
		range = cpulist_all(nr_cpus);
	} else if (cpulist_item_range(it, nr_cpus, &range, msg, msglen) < 0) {
		return -1;
	}
	*mask = it->negate ? *mask & ~range : *mask | range;
	return 0;
}

int cpulist_parse(const char *s, unsigned int nr_cpus, uint64_t *mask, char *msg, size_t msglen)
{
	const char *p = s;
	uint64_t m = 0;

	if (nr_cpus == 0 || nr_cpus > CPULIST_MAX_CPUS) {
		snprintf(msg, msglen, "the machine's %u CPUs cannot be named in a CPU list", nr_cpus);
		return -1;
	}
	if (strlen(s) > CPULIST_TEXT_MAX) {
		snprintf(msg, msglen, "longer than %d bytes", CPULIST_TEXT_MAX);
		return -1;
	}
	/* Messages below quote the list: only printable text may reach a terminal. */
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(msg, msglen, "must not contain control characters");
			return -1;
		}
	}
	for (;;) {
		struct cpulist_item it = { p, strcspn(p, ","), false };

		if (cpulist_item_apply(&it, nr_cpus, &m, msg, msglen) < 0)
			return -1;
		p += strcspn(p, ",");
		if (*p == '\0')
			break;
		p++;
	}
	if (m == 0) {
		snprintf(msg, msglen, "'%s' leaves no CPU to run on", s);
		return -1;
	}
	*mask = m;
	return 0;
}

/* Appends "N" or "N-M" (with a comma before all but the first) to buf. */
static void cpulist_put_range(char *buf, size_t size, unsigned int lo, unsigned int hi)
{
	size_t used = strlen(buf);

	if (used >= size)
		return;
	if (lo == hi)
		snprintf(buf + used, size - used, "%s%u", used ? "," : "", lo);
	else
		snprintf(buf + used, size - used, "%s%u-%u", used ? "," : "", lo, hi);
}

void cpulist_format(uint64_t mask, unsigned int nr_cpus, char *buf, size_t size)
{
	uint64_t all;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (nr_cpus > CPULIST_MAX_CPUS)
		nr_cpus = CPULIST_MAX_CPUS;
	all = cpulist_all(nr_cpus);
	mask &= all;
	if (mask == 0 || mask == all) {
		snprintf(buf, size, "%s", mask ? "all" : "none");
		return;
	}
	for (unsigned int i = 0; i < nr_cpus;) {
		unsigned int j = i;

		if (!(mask & (UINT64_C(1) << i))) {
			i++;
			continue;
		}
		while (j + 1 < nr_cpus && (mask & (UINT64_C(1) << (j + 1))))
			j++;
		cpulist_put_range(buf, size, i, j);
		i = j + 1;
	}
}
