; A guest that reads guest-physical memory it does not have: 256 MiB is past any guest's RAM, so the
; nested page table has no entry there, and the read ends the guest with a nested page fault
; (#VMEXIT NPF, the address in EXITINFO2). The host reports it and runs on.
bits 32
org 0x1000

start:
    mov esi, text
    call print
    mov eax, [0x10000000]
    mov esi, survived                   ; never printed
    call print
    hlt

%include "console.inc"

text:     db "reading guest-physical 0x10000000", 10, 0
survived: db "the read came back", 10, 0
