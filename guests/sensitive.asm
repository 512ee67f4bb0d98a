; The instructions that made x86 "not classically virtualizable" (Popek and Goldberg's condition: every
; instruction that reads or changes privileged state must trap when run deprivileged). Run it on both
; backends (`vm run /guests/sensitive.bin`, `vm run --backend trap /guests/sensitive.bin`) and compare:
;  - PUSHF after CLI: on SVM the guest's own IF, 0; in ring 3 CLI faults and is emulated, but PUSHF
;    does not fault and shows the real IF, which the host keeps on: 1.
;  - POPF with IF clear: in ring 3 with IOPL 0 it neither faults nor changes IF (Intel SDM vol. 2B,
;    POPF): the emulator never hears of it, and the guest's next PUSHF still says 1.
;  - SMSW and SGDT do not fault either (unless CR4.UMIP is on, which TeachOS does not set): they show
;    the host's CR0 and the host's GDT, a kernel address, not the table the guest loaded with LGDT.
; Written in the encodings both modes share (guests/either.inc).
bits 32
org 0x1000

%define IF_BIT 0x200

start:
    cli
    pushf
    pop eax
    mov esi, cli_text
    call print_interrupt_flag

    push eax                            ; the flags with IF clear (on SVM; on trap IF still 1)
    sti
    pop eax
    and eax, ~IF_BIT
    push eax
    popf                                ; turn IF off by POPF, as a kernel's "restore flags" does
    pushf
    pop eax
    mov esi, popf_text
    call print_interrupt_flag
    sti

    smsw eax
    and eax, 0xFFFF
    push eax
    mov esi, smsw_text
    call print
    pop eax
    mov edi, scratch
    mov [edi], eax
    mov esi, scratch + 1
    mov ecx, 2
    call print_hex_bytes

    mov edi, own_gdtr                   ; the guest's own table: base 0x3000, limit 0x17
    lgdt [edi]
    mov edi, seen_gdtr
    sgdt [edi]                          ; 6 bytes in 32-bit mode, 10 in 64-bit mode: room for 10
    mov esi, sgdt_text
    call print
    mov esi, seen_gdtr + 9
    mov ecx, 8
    call print_hex_bytes
    mov esi, limit_text
    call print
    mov esi, seen_gdtr + 1
    mov ecx, 2
    call print_hex_bytes
    mov esi, lgdt_text
    call print

    hlt

; print_interrupt_flag: prints the string at ESI, then EAX's IF as 0 or 1 and a newline. Keeps EAX.
print_interrupt_flag:
    push eax
    call print
    pop eax
    push eax
    and eax, IF_BIT
    shr eax, 9
    add al, '0'
    call putc
    mov al, 10
    call putc
    pop eax
    ret

%include "either.inc"

cli_text:   db "after cli, pushf shows IF=", 0
popf_text:  db "after popf with IF clear, pushf shows IF=", 0
smsw_text:  db "smsw (cr0's low 16 bits): 0x", 0
sgdt_text:  db 10, "sgdt after lgdt of base 0x3000: base 0x", 0
limit_text: db ", limit 0x", 0
lgdt_text:  db 10, 0
own_gdtr:   dw 0x17
            dd 0x3000, 0                ; read as a 32-bit base (SVM) or a 64-bit one (trap): the same
seen_gdtr:  times 10 db 0
scratch:    dd 0
