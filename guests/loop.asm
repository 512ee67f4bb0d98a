; A guest that never stops: it loops without an exit of its own. The host's timer interrupts still
; end each of its turns (the INTR intercept), so the scheduler runs other threads beside it and a
; kill stops it.
bits 32
org 0x1000

start:
    mov esi, text
    call print
    xor eax, eax
.forever:
    inc eax
    jmp .forever

%include "console.inc"

text: db "looping forever", 10, 0
