; From the boot loader's 32-bit protected mode to C# in 64-bit long mode.
;
; The boot loader leaves us in 32-bit protected mode with paging off, at a physical address, with
; eax = the Multiboot magic and ebx = the physical address of its information block. Long mode
; cannot be entered without paging, so we switch on a first, coarse set of page tables (below) that
; map the first 1 GiB three times:
;   - identity (virtual = physical), so the instruction after "enable paging" still exists;
;   - at 0xFFFF800000000000 + physical, the "direct map" the kernel uses to reach any frame;
;   - at 0xFFFFFFFF80000000 + physical, where the kernel is linked (the top 2 GiB).
; Mem/KernelAddressSpace.cs later replaces these with fine-grained tables.
; Intel SDM vol. 3A, 9.8.5 "Initializing IA-32e Mode".

bits 32

MULTIBOOT1_BOOTLOADER_MAGIC equ 0x2BADB002
MULTIBOOT2_BOOTLOADER_MAGIC equ 0x36D76289
KERNEL_VIRTUAL_BASE         equ 0xFFFFFFFF80000000

CR0_PROTECTED_MODE  equ 1 << 0
CR0_MONITOR_FPU     equ 1 << 1      ; MP: with TS, makes FPU/SSE use trap (#NM)
CR0_EMULATE_FPU     equ 1 << 2      ; EM: must be clear, or every SSE instruction faults (#UD)
CR0_WRITE_PROTECT   equ 1 << 16     ; WP: read-only pages are read-only for the kernel too
CR0_PAGING          equ 1 << 31
CR4_PAE             equ 1 << 5      ; long mode requires the 64-bit page-table format
CR4_OSFXSR          equ 1 << 9      ; we save SSE state with fxsave: SSE instructions allowed
CR4_OSXMMEXCPT      equ 1 << 10     ; SSE floating-point errors raise #XM
MSR_EFER            equ 0xC0000080
EFER_LONG_MODE      equ 1 << 8
EFER_NO_EXECUTE     equ 1 << 11     ; lets page tables mark data as not executable
PAGE_PRESENT        equ 1 << 0
PAGE_WRITABLE       equ 1 << 1
PAGE_HUGE           equ 1 << 7      ; in a page directory: this entry maps 2 MiB directly

section .boot.text progbits alloc exec nowrite
global start32
extern __bss_start_physical, __bss_end_physical
extern kmain                        ; KernelMain.cs

start32:
    cli
    cld
    mov esi, eax                    ; keep the magic and the info pointer for kmain
    mov edi, ebx

    ; The image's zero-filled part is not in the file; QEMU and GRUB clear it, but we do not rely on that.
    push edi
    mov edi, __bss_start_physical
    mov ecx, __bss_end_physical
    sub ecx, edi
    xor eax, eax
    rep stosb
    pop edi

    cmp esi, MULTIBOOT1_BOOTLOADER_MAGIC
    je .magic_ok
    cmp esi, MULTIBOOT2_BOOTLOADER_MAGIC
    je .magic_ok
    mov ebx, message_no_multiboot
    jmp boot_failure
.magic_ok:

    ; CPUID leaf 0x80000001, EDX bit 29: does this CPU have long mode at all?
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jnz .long_mode_ok
.no_long_mode:
    mov ebx, message_no_long_mode
    jmp boot_failure
.long_mode_ok:
    mov ebp, edx                    ; remember the feature bits: bit 20 says NX is available

    mov eax, boot_pml4
    mov cr3, eax

    mov eax, cr4
    or eax, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, eax

    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LONG_MODE
    test ebp, 1 << 20
    jz .no_nx
    or eax, EFER_NO_EXECUTE
.no_nx:
    wrmsr

    mov eax, cr0
    and eax, ~CR0_EMULATE_FPU
    or eax, CR0_PROTECTED_MODE | CR0_MONITOR_FPU | CR0_WRITE_PROTECT | CR0_PAGING
    mov cr0, eax                    ; paging on: we are now in 32-bit "compatibility mode"

    ; Loading a 64-bit code segment is what finally switches the CPU to 64-bit mode.
    lgdt [boot_gdt_pointer]
    jmp BOOT_CODE_SELECTOR:start64_identity

; Prints the message at ebx on the VGA screen and COM1, then stops. Used before C# can run.
boot_failure:
    mov edx, 0xB8000
.next_char:
    mov al, [ebx]
    test al, al
    jz .halt
    mov ah, 0x4F                    ; white on red
    mov [edx], ax
    add edx, 2
    push edx
    mov dx, 0x3F8
    out dx, al
    pop edx
    inc ebx
    jmp .next_char
.halt:
    hlt
    jmp .halt

bits 64
start64_identity:
    ; Still running at the identity-mapped physical address: jump to the kernel's linked address.
    mov rax, start64
    jmp rax

section .text
start64:
    mov ax, BOOT_DATA_SELECTOR
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp                    ; a zero frame pointer ends every backtrace here
    xchg edi, esi                   ; kmain(magic, info_physical): System V passes rdi, rsi
    call kmain
.kmain_returned:                    ; kmain never returns; if it did, stop here
    cli
    hlt
    jmp .kmain_returned

section .boot.data progbits alloc noexec write
message_no_multiboot: db "TeachOS: not started by a Multiboot boot loader", 0
message_no_long_mode: db "TeachOS: this CPU has no 64-bit long mode", 0

BOOT_CODE_SELECTOR equ 0x08
BOOT_DATA_SELECTOR equ 0x10

align 8
boot_gdt:
    dq 0                            ; the null descriptor the CPU requires
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit code, ring 0 (L=1, D=0)
    dq 0x00CF92000000FFFF           ; 0x10: data, ring 0
boot_gdt_pointer:
    dw boot_gdt_pointer - boot_gdt - 1
    dq boot_gdt

; Page tables: 4 KiB each, 512 entries of 8 bytes. Entries hold physical addresses, and this section
; is linked at its physical address, so a label is its physical address.
align 4096
boot_pml4:
    dq boot_pdpt_low + PAGE_PRESENT + PAGE_WRITABLE         ; 0x0000000000000000: identity
    times 255 dq 0
    dq boot_pdpt_low + PAGE_PRESENT + PAGE_WRITABLE         ; 0xFFFF800000000000: direct map
    times 254 dq 0
    dq boot_pdpt_high + PAGE_PRESENT + PAGE_WRITABLE        ; 0xFFFFFF8000000000: kernel image
boot_pdpt_low:
    dq boot_page_directory + PAGE_PRESENT + PAGE_WRITABLE
    times 511 dq 0
boot_pdpt_high:
    times 510 dq 0
    dq boot_page_directory + PAGE_PRESENT + PAGE_WRITABLE   ; 0xFFFFFFFF80000000
    dq 0
boot_page_directory:                                        ; 512 x 2 MiB = the first 1 GiB
%assign i 0
%rep 512
    dq (i << 21) + PAGE_PRESENT + PAGE_WRITABLE + PAGE_HUGE
%assign i i + 1
%endrep

section .bss
; The stack kmain runs on (and, later, CPU 0's boot thread). The page below it stays unmapped
; (Mem/KernelAddressSpace.cs), so an overflow faults at once instead of overwriting .bss.
align 4096
global boot_stack_guard, boot_stack_top
boot_stack_guard:
    resb 4096
boot_stack_bottom:
    resb 64 * 1024
boot_stack_top:
