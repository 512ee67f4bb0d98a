; A guest that starts its timer, turns interrupts off and halts. On real hardware that CPU would
; sleep for ever; the hypervisor sees interrupts off at the HLT exit, knows no tick can wake it,
; and ends the guest with a report (kernel/Virt/StopExits.cs).
bits 32
org 0x1000
%include "devices.inc"

start:
    mov dx, TIMER_VECTOR
    mov al, 48
    out dx, al
    mov dx, TIMER_PERIOD
    mov eax, 10000
    out dx, eax
    mov esi, text
    call print
    cli
    hlt

%include "console.inc"

text: db "timer on, interrupts off, halting", 10, 0
