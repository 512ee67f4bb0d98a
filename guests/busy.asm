; A busy guest with its timer on: a tick every millisecond, counted by its handler, while the guest
; itself only loops, never halting. Its exits are the host's interrupts, the VINTR windows and the
; ticks' injections (bench's vm-timer-busy figure, userland/Programs/bench/Virtualization.cs).
; It stops after 200 ticks.
bits 32
org 0x1000
%include "devices.inc"

%define TICKS_WANTED 200

start:
    mov eax, tick_handler
    mov ebx, 48
    call install_handler
    mov dx, TIMER_VECTOR
    mov al, 48
    out dx, al
    mov dx, TIMER_PERIOD
    mov eax, 1000
    out dx, eax
    sti
.busy:
    cmp dword [ticks], TICKS_WANTED
    jb .busy
    cli
    hlt

tick_handler:
    inc dword [ticks]
    iret

%include "console.inc"
%include "interrupts.inc"

ticks: dd 0
