; The guest both backends run (`vm run /guests/twice.bin` and `vm run --backend trap /guests/twice.bin`),
; so that their exits can be counted side by side (guide ch. 14, "Trap-and-emulate by hand"). It is
; written in the encodings 32-bit and 64-bit mode share (guests/either.inc says which): SVM starts it
; in 32-bit protected mode, the trap-and-emulate backend in 64-bit mode at ring 3. It prints, adds
; 1..100 (no exits: the CPU runs it), turns interrupts off and on ten times, writes CR3 and reads it
; back, and halts. On SVM, CLI, STI and MOV CR3 run as they are (nothing intercepts them); in ring 3
; each is a #GP that the emulator decodes and emulates.
bits 32
org 0x1000

start:
    mov esi, hello
    call print

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

    mov ecx, 10                         ; ten critical sections, as a kernel's spin locks make them
.critical:
    cli
    sti
    loop .critical

    mov eax, 0x5000                     ; a page-table root that is not there: with paging off (SVM)
    mov cr3, eax                        ; or shadowed by nobody (trap) it is only a number
    xor eax, eax
    mov eax, cr3
    push eax
    mov esi, cr3_text
    call print
    pop eax
    call print_decimal
    mov esi, newline
    call print

    hlt

%include "either.inc"

hello:    db "hello from a guest that runs on either backend", 10, 0
sum_text: db "1 + 2 + ... + 100 = ", 0
cr3_text: db 10, "cr3 reads back ", 0
newline:  db 10, 0
