/*
 * Test guest image layout, run through the C preprocessor: GUEST_BLOB
 * adds the blob segment.  Guests run identity-mapped at the address they
 * are linked at, 512 KiB into guest RAM (CACHET_GUEST_RAM0_BASE), where
 * the arm64 boot protocol's historical text_offset puts kernels too.
 *
 * Each PT_LOAD segment is a range the domain builder loads:
 *   text   .text and .rodata                 R X
 *   data   .data, then .bss (stack, tables)  R W  (file size < memory size)
 *   blob   .blob, 1 MiB of generated data    R    (GUEST_BLOB only)
 */
OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
#ifdef GUEST_BLOB
	blob PT_LOAD FLAGS(4);
#endif
}

SECTIONS
{
	. = 0x40080000;
	.text : {
		*(.text.head)
		*(.text .text.*)
	} :text
	.rodata : ALIGN(16) { *(.rodata .rodata.*) } :text

	. = ALIGN(4096);
	.data : { *(.data .data.*) } :data
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} :data

#ifdef GUEST_BLOB
	. = ALIGN(4096);
	.blob : { *(.blob) } :blob
#endif

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynamic) }
}
