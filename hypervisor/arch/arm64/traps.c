/*
 * Exceptions taken to EL2.  Interrupts go to the dispatcher; for now every
 * synchronous exception, FIQ and SError is unexpected: it is reported with
 * the syndrome, the registers and a backtrace, and the hypervisor panics.
 * Guest traps (lower-EL vectors) join here with domain support.
 */
#include "arch/frame.h"
#include "arch/regs_esr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "irq.h"

#define BACKTRACE_MAX 32

extern char hv_stacks[];

static const char *const vector_names[] = {
	"sync (EL2, SP_EL0)", "IRQ (EL2, SP_EL0)", "FIQ (EL2, SP_EL0)", "SError (EL2, SP_EL0)",
	"sync (EL2)", "IRQ (EL2)", "FIQ (EL2)", "SError (EL2)",
	"sync (lower EL, AArch64)", "IRQ (lower EL, AArch64)", "FIQ (lower EL, AArch64)",
	"SError (lower EL, AArch64)", "sync (lower EL, AArch32)", "IRQ (lower EL, AArch32)",
	"FIQ (lower EL, AArch32)", "SError (lower EL, AArch32)",
};

static const char *esr_class_name(uint64_t ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN: return "unknown reason";
	case ESR_EC_HVC64: return "HVC";
	case ESR_EC_SMC64: return "SMC";
	case ESR_EC_SYS64: return "system register access";
	case ESR_EC_IABT_CUR: return "instruction abort";
	case ESR_EC_DABT_CUR: return "data abort";
	case ESR_EC_PC_ALIGN: return "PC alignment fault";
	case ESR_EC_SP_ALIGN: return "SP alignment fault";
	case ESR_EC_SERROR: return "SError";
	case ESR_EC_BRK64: return "BRK";
	default: return "other";
	}
}

static void dump_registers(const struct arch_frame *f)
{
	for (unsigned int i = 0; i < 30; i += 3) {
		log_printf("  x%-2u %016llx  x%-2u %016llx  x%-2u %016llx\n", i,
			   (unsigned long long)f->x[i], i + 1, (unsigned long long)f->x[i + 1],
			   i + 2, (unsigned long long)f->x[i + 2]);
	}
	log_printf("  x30 %016llx  sp  %016llx\n", (unsigned long long)f->x[30],
		   (unsigned long long)f->sp);
}

static void dump_exception(const struct arch_frame *f, enum arch_vector vec)
{
	uint64_t ec = FIELD_GET(ESR_EC, f->esr);

	log_printf("Exception: %s, class %#llx (%s)\n", vector_names[vec], (unsigned long long)ec,
		   esr_class_name(ec));
	log_printf("  ESR_EL2  %016llx\n", (unsigned long long)f->esr);
	log_printf("  FAR_EL2  %016llx\n", (unsigned long long)f->far);
	log_printf("  ELR_EL2  %016llx\n", (unsigned long long)f->elr);
	log_printf("  SPSR_EL2 %016llx\n", (unsigned long long)f->spsr);
	dump_registers(f);
	log_printf("Backtrace:\n  [<%016llx>] (faulting instruction)\n",
		   (unsigned long long)f->elr);
	arch_backtrace(f->x[29]);
}

/* A frame record must lie inside this CPU's stack to be followed. */
static bool fp_on_stack(uint64_t fp)
{
	uint64_t lo = (uint64_t)(uintptr_t)hv_stacks +
		      (uint64_t)arch_cpu_index() * CONFIG_STACK_SIZE;

	return fp >= lo && fp + 16 <= lo + CONFIG_STACK_SIZE && IS_ALIGNED(fp, 8);
}

void arch_backtrace(uint64_t fp)
{
	for (unsigned int depth = 0; depth < BACKTRACE_MAX && fp != 0; depth++) {
		const uint64_t *rec;

		if (!fp_on_stack(fp)) {
			log_printf("  (frame pointer %016llx leaves the stack)\n",
				   (unsigned long long)fp);
			return;
		}
		rec = (const uint64_t *)(uintptr_t)fp;
		if (rec[1] == 0)
			return;
		log_printf("  [<%016llx>]\n", (unsigned long long)(rec[1] - 4));
		fp = rec[0];
	}
}

void arch_trap_entry(struct arch_frame *f, enum arch_vector vec)
{
	if (vec == VEC_CUR_SPX_IRQ) {
		irq_dispatch();
		return;
	}
	panic_begin(vector_names[vec]);
	dump_exception(f, vec);
	panic_finish();
}
