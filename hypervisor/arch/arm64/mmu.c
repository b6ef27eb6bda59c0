/*
 * EL2 translation registers.  The values are computed once, with the MMU
 * off, and read by head.S on every CPU just before it turns its MMU on.
 */
#include "arch/regs_id.h"
#include "arch/regs_tcr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"

/* Read by CPUs whose MMU is still off: kept clean to the PoC. */
uint64_t hv_boot_ttbr;
uint64_t hv_boot_tcr;
uint64_t hv_boot_mair;

void arch_mmu_prepare(maddr_t root)
{
	uint64_t parange = FIELD_GET(ID_AA64MMFR0_PARANGE, read_sysreg(id_aa64mmfr0_el1));

	/* TCR_EL2.PS takes the ID register's PARange encoding as it is (up to 48 bits). */
	if (parange > 5)
		parange = 5;
	hv_boot_mair = MAIR_EL2_VALUE;
	hv_boot_tcr = TCR_EL2_RES1 | FIELD_PREP(TCR_EL2_T0SZ, 64 - CONFIG_HYP_VA_BITS) |
		      FIELD_PREP(TCR_EL2_IRGN0, TCR_RGN_WBWA) |
		      FIELD_PREP(TCR_EL2_ORGN0, TCR_RGN_WBWA) |
		      FIELD_PREP(TCR_EL2_SH0, TCR_SH_INNER) | FIELD_PREP(TCR_EL2_TG0, TCR_TG0_4K) |
		      FIELD_PREP(TCR_EL2_PS, parange);
	hv_boot_ttbr = ma_val(root);
	arch_dcache_clean_range(&hv_boot_ttbr, sizeof(hv_boot_ttbr));
	arch_dcache_clean_range(&hv_boot_tcr, sizeof(hv_boot_tcr));
	arch_dcache_clean_range(&hv_boot_mair, sizeof(hv_boot_mair));
}
