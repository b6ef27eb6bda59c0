/* Descriptor encoding for VMSAv8-64 4 KiB granule tables (see arch/pte.h). */
#include "arch/pte.h"
#include "arch/regs_tcr.h"

bool arch_pte_is_valid(uint64_t pte)
{
	return (pte & PTE_VALID) != 0;
}

bool arch_pte_is_parked(uint64_t pte)
{
	return (pte & (PTE_VALID | PTE_SW_PARKED)) == PTE_SW_PARKED;
}

uint64_t arch_pte_park(uint64_t pte)
{
	return (pte & ~PTE_VALID) | PTE_SW_PARKED;
}

uint64_t arch_pte_unpark(uint64_t pte)
{
	return (pte & ~PTE_SW_PARKED) | PTE_VALID;
}

bool arch_pte_is_written(uint64_t pte)
{
	return (pte & PTE_SW_WRITTEN) != 0;
}

uint64_t arch_pte_mark_written(uint64_t pte)
{
	return pte | PTE_SW_WRITTEN;
}

bool arch_pte_is_split(uint64_t pte, unsigned int level)
{
	return arch_pte_is_table(pte, level) && (pte & PTE_SW_SPLIT) != 0;
}

uint64_t arch_pte_split_table(maddr_t table)
{
	return arch_pte_table(table) | PTE_SW_SPLIT;
}

bool arch_pte_is_table(uint64_t pte, unsigned int level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TYPE_TABLE)) == (PTE_VALID | PTE_TYPE_TABLE);
}

maddr_t arch_pte_addr(uint64_t pte)
{
	return ma_init(pte & PTE_ADDR_MASK);
}

uint64_t arch_pte_table(maddr_t table)
{
	return (ma_val(table) & PTE_ADDR_MASK) | PTE_TYPE_TABLE | PTE_VALID;
}

bool arch_pte_block_allowed(unsigned int level)
{
	return level == 1 || level == 2;
}

static uint64_t pte_s1_attrs(struct pt_attr attr)
{
	static const uint64_t attridx[] = {
		[PT_MEM_NORMAL] = MAIR_IDX_NORMAL,
		[PT_MEM_NORMAL_NC] = MAIR_IDX_NORMAL_NC,
		[PT_MEM_DEVICE] = MAIR_IDX_DEVICE,
		[PT_MEM_FORCED_WB] = MAIR_IDX_NORMAL, /* a stage-2 notion; normal at stage 1 */
	};
	uint64_t d = FIELD_PREP(PTE_S1_ATTRIDX, attridx[attr.mem]) | PTE_AF |
		     FIELD_PREP(PTE_SH, PTE_SH_INNER);

	d |= FIELD_PREP(PTE_S1_AP, (attr.perm & PT_PERM_W) ? PTE_S1_AP_RW : PTE_S1_AP_RO);
	if (!(attr.perm & PT_PERM_X))
		d |= PTE_S1_XN;
	return d;
}

static uint64_t pte_s2_attrs(struct pt_attr attr)
{
	static const uint64_t memattr[] = {
		[PT_MEM_NORMAL] = PTE_S2_MEMATTR_NORMAL_WB,
		[PT_MEM_NORMAL_NC] = PTE_S2_MEMATTR_NORMAL_NC,
		[PT_MEM_DEVICE] = PTE_S2_MEMATTR_DEVICE_nGnRnE,
		[PT_MEM_FORCED_WB] = PTE_S2_MEMATTR_FWB_FORCED_WB,
	};
	uint64_t s2ap = ((attr.perm & PT_PERM_R) ? PTE_S2AP_R : 0) |
			((attr.perm & PT_PERM_W) ? PTE_S2AP_W : 0);
	uint64_t d = FIELD_PREP(PTE_S2_MEMATTR, memattr[attr.mem]) | PTE_AF |
		     FIELD_PREP(PTE_SH, PTE_SH_INNER) | FIELD_PREP(PTE_S2AP, s2ap);

	if (!(attr.perm & PT_PERM_X))
		d |= FIELD_PREP(PTE_S2_XN, PTE_S2_XN_ALL);
	return d;
}

uint64_t arch_pte_leaf(enum pt_stage stage, unsigned int level, maddr_t pa, struct pt_attr attr)
{
	uint64_t d = (ma_val(pa) & PTE_ADDR_MASK) | PTE_VALID;

	if (level == 3)
		d |= PTE_TYPE_TABLE; /* the "page" type shares the table encoding */
	return d | (stage == PT_STAGE1_EL2 ? pte_s1_attrs(attr) : pte_s2_attrs(attr));
}

static struct pt_attr pte_s1_decode(uint64_t pte)
{
	struct pt_attr a = { .mem = PT_MEM_NORMAL, .perm = PT_PERM_R };

	switch (FIELD_GET(PTE_S1_ATTRIDX, pte)) {
	case MAIR_IDX_DEVICE:
		a.mem = PT_MEM_DEVICE;
		break;
	case MAIR_IDX_NORMAL_NC:
		a.mem = PT_MEM_NORMAL_NC;
		break;
	default:
		break;
	}
	if (FIELD_GET(PTE_S1_AP, pte) == PTE_S1_AP_RW)
		a.perm |= PT_PERM_W;
	if (!(pte & PTE_S1_XN))
		a.perm |= PT_PERM_X;
	return a;
}

static struct pt_attr pte_s2_decode(uint64_t pte)
{
	struct pt_attr a = { .mem = PT_MEM_NORMAL, .perm = 0 };
	uint64_t s2ap = FIELD_GET(PTE_S2AP, pte);

	switch (FIELD_GET(PTE_S2_MEMATTR, pte)) {
	case PTE_S2_MEMATTR_DEVICE_nGnRnE:
		a.mem = PT_MEM_DEVICE;
		break;
	case PTE_S2_MEMATTR_NORMAL_NC:
		a.mem = PT_MEM_NORMAL_NC;
		break;
	case PTE_S2_MEMATTR_FWB_FORCED_WB:
		a.mem = PT_MEM_FORCED_WB;
		break;
	default:
		break;
	}
	if (s2ap & PTE_S2AP_R)
		a.perm |= PT_PERM_R;
	if (s2ap & PTE_S2AP_W)
		a.perm |= PT_PERM_W;
	if (FIELD_GET(PTE_S2_XN, pte) == 0)
		a.perm |= PT_PERM_X;
	return a;
}

struct pt_attr arch_pte_attr(enum pt_stage stage, uint64_t pte)
{
	return stage == PT_STAGE1_EL2 ? pte_s1_decode(pte) : pte_s2_decode(pte);
}
