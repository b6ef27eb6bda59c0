/*
 * Cache statistics as JSON.  The counter names are exactly the field names
 * of struct cachet_vcpu_stats (PROTOCOL.md), so the table below is written
 * with one macro that takes the field name once for both.
 */
#include <stddef.h>
#include <string.h>

#include "methods.h"

struct stats_field {
	const char *name;
	size_t off;
	size_t size;
};

#define STATS_FIELD(f) \
	{ #f, offsetof(struct cachet_vcpu_stats, f), sizeof(((struct cachet_vcpu_stats *)0)->f) }

static const struct stats_field stats_fields[] = {
	STATS_FIELD(exits),
	STATS_FIELD(tvm_traps),
	STATS_FIELD(sctlr_writes),
	STATS_FIELD(setway_traps),
	STATS_FIELD(hvc_calls),
	STATS_FIELD(mmio_exits),
	STATS_FIELD(wfx_exits),
	STATS_FIELD(irq_exits),
	STATS_FIELD(dc_clears),
	STATS_FIELD(dc_sets),
	STATS_FIELD(tvm_clears),
	STATS_FIELD(tvm_sets),
	STATS_FIELD(flush_dc_drop),
	STATS_FIELD(flush_toggle),
	STATS_FIELD(flush_setway),
	STATS_FIELD(flushed_pages),
	STATS_FIELD(traps_after_mmu_on),
	STATS_FIELD(s2_faults),
	STATS_FIELD(flush_slices),
	STATS_FIELD(hcr_dc),
	STATS_FIELD(hcr_tvm),
	STATS_FIELD(sysreg_exits),
	STATS_FIELD(other_exits),
	STATS_FIELD(mmio_ticks),
	STATS_FIELD(sysreg_ticks),
	STATS_FIELD(wfx_ticks),
	STATS_FIELD(irq_ticks),
	STATS_FIELD(other_ticks),
	STATS_FIELD(counter_hz),
};

#define STATS_NFIELDS (sizeof(stats_fields) / sizeof(stats_fields[0]))

const char *stats_field_name(size_t i)
{
	return i < STATS_NFIELDS ? stats_fields[i].name : NULL;
}

size_t stats_field_count(void)
{
	return STATS_NFIELDS;
}

static uint64_t stats_value(const struct cachet_vcpu_stats *s, const struct stats_field *f)
{
	const char *p = (const char *)s + f->off;
	uint32_t v32;
	uint64_t v64;

	if (f->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

static struct json_object *stats_vcpu_json(const struct cachet_vcpu_stats *s)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o && i < STATS_NFIELDS; i++) {
		/* Counters stay far below 2^63; JSON integers carry them as int64. */
		json_object_object_add(o, stats_fields[i].name,
				       json_object_new_int64((int64_t)stats_value(s, &stats_fields[i])));
	}
	return o;
}

struct json_object *stats_to_json(const struct cachet_domain_stats_out *st)
{
	struct json_object *res = json_object_new_object();
	struct json_object *vcpus = json_object_new_array();
	uint32_t n = st->nr_vcpus < CACHET_STATS_VCPUS ? st->nr_vcpus : CACHET_STATS_VCPUS;

	for (uint32_t i = 0; vcpus && i < n; i++)
		json_object_array_add(vcpus, stats_vcpu_json(&st->vcpu[i]));
	if (res)
		json_object_object_add(res, "vcpus", vcpus);
	else
		json_object_put(vcpus);
	return res;
}
