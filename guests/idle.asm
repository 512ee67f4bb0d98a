; An idle guest: a tick a second, and HLT in a loop, as an operating system with nothing to do
; waits. Each HLT is a sleep of the host thread until the next tick (kernel/Virt/InterruptInjection.cs):
; the host's CPU goes to others meanwhile, and a kill of the process ends the wait.
bits 32
org 0x1000
%include "devices.inc"

start:
    mov eax, tick_handler
    mov ebx, 48
    call install_handler
    mov dx, TIMER_VECTOR
    mov al, 48
    out dx, al
    mov dx, TIMER_PERIOD
    mov eax, 1000000                    ; a second
    out dx, eax
    mov esi, text
    call print
    sti
.idle:
    hlt
    jmp .idle

tick_handler:
    iret

%include "console.inc"
%include "interrupts.inc"

text: db "idle: halting, a tick a second", 10, 0
