/*
 * The blob's bytes, generated at build time by blobgen into blob.bin (on
 * the include path).  Its own section, which the linker script puts in a
 * PT_LOAD segment of its own, so the builder loads it as a separate range.
 */
	.section .blob, "a"
	.balign	4096
	.global blob_start
blob_start:
	.incbin	"blob.bin"
	.global blob_end
blob_end:
