; How the other CPUs ("application processors", APs) start. After INIT and STARTUP IPIs from the
; boot CPU (Arch/X64/ApStartup.cs), an AP begins in 16-bit real mode, at physical address
; TRAMPOLINE, with nothing set up: no stack, no GDT, no paging. It must climb the same ladder the
; boot CPU climbed in Boot/Start.asm: real mode -> 32-bit protected mode -> 64-bit long mode, then
; call C# (ap_main) on the stack the boot CPU prepared for it.
;
; This code is assembled into the kernel image, then copied to TRAMPOLINE below 1 MiB, because
; real mode can only reach the first megabyte. So every address in it is computed as
; TRAMPOLINE + (label - ap_trampoline_start). The boot CPU fills in the data at the end first.
; Intel SDM vol. 3A, 9.4 "Multiple-Processor (MP) Initialization".

TRAMPOLINE  equ 0x8000
%define AT(label) (TRAMPOLINE + (label) - ap_trampoline_start)

CR0_PROTECTED_MODE equ 1 << 0
CR0_MONITOR_FPU    equ 1 << 1
CR0_EMULATE_FPU    equ 1 << 2
CR0_WRITE_PROTECT  equ 1 << 16
CR0_PAGING         equ 1 << 31
CR4_PAE            equ 1 << 5
CR4_OSFXSR         equ 1 << 9
CR4_OSXMMEXCPT     equ 1 << 10
MSR_EFER           equ 0xC0000080
EFER_LONG_MODE     equ 1 << 8
EFER_NO_EXECUTE    equ 1 << 11

section .rodata
align 16
global ap_trampoline_start, ap_trampoline_end
global ap_trampoline_cr3, ap_trampoline_stack, ap_trampoline_entry, ap_trampoline_index

bits 16
ap_trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    lgdt [AT(trampoline_gdt_pointer)]
    mov eax, cr0
    or eax, CR0_PROTECTED_MODE
    mov cr0, eax
    jmp dword 0x08:AT(protected_mode)       ; a far jump loads the 32-bit code segment

bits 32
protected_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, eax
    mov eax, [AT(ap_trampoline_cr3)]        ; page tables that also map this page where it is
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LONG_MODE | EFER_NO_EXECUTE
    wrmsr
    mov eax, cr0
    and eax, ~CR0_EMULATE_FPU
    or eax, CR0_PAGING | CR0_WRITE_PROTECT | CR0_MONITOR_FPU
    mov cr0, eax
    jmp 0x18:AT(long_mode)                  ; the 64-bit code segment: long mode proper

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, [AT(ap_trampoline_stack)]
    xor ebp, ebp
    mov edi, [AT(ap_trampoline_index)]
    mov rax, [AT(ap_trampoline_entry)]
    call rax                                ; ap_main(index), in the kernel's half: never returns
.stop:
    cli
    hlt
    jmp .stop

align 8
trampoline_gdt:
    dq 0
    dq 0x00CF9A000000FFFF                   ; 0x08: 32-bit code
    dq 0x00CF92000000FFFF                   ; 0x10: data
    dq 0x00AF9A000000FFFF                   ; 0x18: 64-bit code
trampoline_gdt_pointer:
    dw trampoline_gdt_pointer - trampoline_gdt - 1
    dd AT(trampoline_gdt)

; Filled in by the boot CPU before each STARTUP IPI.
align 8
ap_trampoline_cr3:   dq 0                   ; physical, below 4 GiB (loaded in 32-bit mode)
ap_trampoline_stack: dq 0                   ; the AP's first stack (its idle thread's)
ap_trampoline_entry: dq 0                   ; ap_main
ap_trampoline_index: dq 0                   ; the AP's index in Processor.All
ap_trampoline_end:

section .text
global ap_trampoline_address
ap_trampoline_address:                      ; where the trampoline's bytes are in the kernel image
    lea rax, [rel ap_trampoline_start]
    ret
global ap_trampoline_size
ap_trampoline_size:
    mov eax, ap_trampoline_end - ap_trampoline_start
    ret
global ap_trampoline_data_offset
ap_trampoline_data_offset:                  ; offset of ap_trampoline_cr3 in the trampoline
    mov eax, ap_trampoline_cr3 - ap_trampoline_start
    ret
