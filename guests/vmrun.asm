; A guest that tries to run a guest of its own: VMRUN is always intercepted (the hardware insists),
; and TeachOS stops a guest that executes it.
bits 32
org 0x1000

start:
    mov esi, text
    call print
    xor eax, eax
    vmrun
    hlt

%include "console.inc"

text: db "executing vmrun", 10, 0
