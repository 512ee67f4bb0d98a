; The first guest: it starts where the hypervisor's VMCB says (kernel/Virt/VmcbSetup.cs): 32-bit
; protected mode, flat segments, paging off, at guest-physical 0x1000, its stack at the top of its
; memory. It prints on its virtual serial port, does some arithmetic, asks CPUID who its hypervisor
; is, and halts: HLT is the exit that ends it.
bits 32
org 0x1000

start:
    mov esi, hello
    call print

    ; 1 + 2 + ... + 100, by a loop the CPU runs natively: no exits until the next OUT.
    xor eax, eax
    mov ecx, 100
.sum:
    add eax, ecx
    loop .sum
    push eax
    mov esi, sum_text
    call print
    pop eax
    call print_decimal

    ; 12! mod 1000003, by multiplication and division.
    mov eax, 1
    mov ebx, 1
.factorial:
    mul ebx
    mov ecx, 1000003
    xor edx, edx
    div ecx
    mov eax, edx
    inc ebx
    cmp ebx, 12
    jbe .factorial
    push eax
    mov esi, factorial_text
    call print
    pop eax
    call print_decimal

    ; CPUID leaf 4000_0000h: the hypervisor's signature in EBX, ECX, EDX (a CPUID exit).
    mov eax, 0x40000000
    cpuid
    mov [signature], ebx
    mov [signature + 4], ecx
    mov [signature + 8], edx
    mov esi, cpuid_text
    call print
    mov esi, signature
    call print
    mov esi, newline
    call print

    hlt

%include "console.inc"

hello:          db "hello from the guest", 10, 0
sum_text:       db "1 + 2 + ... + 100 = ", 0
factorial_text: db 10, "12! mod 1000003 = ", 0
cpuid_text:     db 10, "cpuid 0x40000000: ", 0
newline:        db 10, 0
signature:      times 13 db 0
