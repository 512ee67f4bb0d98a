; The headers a boot loader looks for in the first 8 KiB (Multiboot 1) or 32 KiB (Multiboot 2) of
; the kernel image. GRUB reads the Multiboot 2 header and loads build/kernel.elf by its ELF program
; headers. QEMU's fast `-kernel` path only speaks Multiboot 1 and cannot load a 64-bit ELF, so the
; Multiboot 1 header uses the "a.out kludge": it spells out where to load the flat image
; (build/kernel.bin) and where to start, and QEMU never looks at ELF headers.
; Specs: Multiboot 0.6.96 section 3.1; Multiboot2 1.6 section 3.1.

bits 32
section .multiboot

extern start32                      ; Start.asm
extern __kernel_physical_start      ; linker.ld: where the image begins in physical memory
extern __load_end_physical          ;            end of the bytes in the file
extern __bss_end_physical           ;            end of the zero-filled part

MULTIBOOT1_MAGIC        equ 0x1BADB002
MB1_PAGE_ALIGN_MODULES  equ 1 << 0  ; the initrd must start on a page boundary
MB1_MEMORY_INFO         equ 1 << 1  ; we want the memory map
MB1_AOUT_KLUDGE         equ 1 << 16 ; load addresses are given below, not in ELF headers
MB1_FLAGS               equ MB1_PAGE_ALIGN_MODULES | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE

align 4
multiboot1_header:
    dd MULTIBOOT1_MAGIC
    dd MB1_FLAGS
    dd -(MULTIBOOT1_MAGIC + MB1_FLAGS)  ; the three words must sum to zero
    dd multiboot1_header                ; header_addr: where this header lands in memory
    dd __kernel_physical_start          ; load_addr
    dd __load_end_physical              ; load_end_addr
    dd __bss_end_physical               ; bss_end_addr
    dd start32                          ; entry_addr

MULTIBOOT2_MAGIC        equ 0xE85250D6
MB2_ARCH_I386           equ 0           ; "i386 protected mode": GRUB enters start32 in 32-bit mode
MB2_TAG_END             equ 0
MB2_TAG_MODULE_ALIGN    equ 6

align 8
multiboot2_header:
    dd MULTIBOOT2_MAGIC
    dd MB2_ARCH_I386
    dd multiboot2_header_end - multiboot2_header
    dd -(MULTIBOOT2_MAGIC + MB2_ARCH_I386 + (multiboot2_header_end - multiboot2_header))
align 8
    dw MB2_TAG_MODULE_ALIGN, 0          ; modules page-aligned, like MB1_PAGE_ALIGN_MODULES
    dd 8
align 8
    dw MB2_TAG_END, 0
    dd 8
multiboot2_header_end:
