; A guest that faults with nowhere to go: ud2 raises #UD, the guest has no IDT (its limit is 0), so
; delivering #UD faults (#GP), delivering that faults again (#DF), and a third fault is a triple
; fault: the CPU shuts down. Intercepted (SHUTDOWN), it ends the guest instead of resetting the host.
bits 32
org 0x1000

start:
    mov esi, text
    call print
    ud2

%include "console.inc"

text: db "faulting with no IDT", 10, 0
