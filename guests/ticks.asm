; A guest that takes timer interrupts (kernel/Virt/VirtualTimer.cs, kernel/Virt/InterruptInjection.cs).
; It installs a handler for vector 48, asks its virtual timer for a tick every 10 ms, and halts: with
; interrupts on, each HLT waits for the next tick, which the hypervisor injects. Then it shows the
; other way a tick arrives: with interrupts off it waits until the timer says one is pending, turns
; them on, and the tick comes at once (the hypervisor had asked to be told: the VINTR exit). It stops
; the timer and halts with interrupts off, which ends it.
bits 32
org 0x1000
%include "devices.inc"

%define VECTOR 48
%define TICKS_WANTED 5

start:
    mov eax, timer_handler
    mov ebx, VECTOR
    call install_handler
    mov esi, hello
    call print

    mov dx, TIMER_VECTOR
    mov al, VECTOR
    out dx, al
    mov dx, TIMER_PERIOD
    mov eax, 10000                      ; microseconds
    out dx, eax

.wait:
    sti
    hlt                                 ; STI's one-instruction shadow covers the HLT: no tick slips in between
    cli                                 ; and is missed; the print below runs with interrupts off
    mov esi, tick_text
    call print
    mov eax, [ticks]
    call print_decimal
    mov esi, newline
    call print
    cmp dword [ticks], TICKS_WANTED
    jb .wait

    ; Interrupts off: a tick that comes now waits (the timer's pending register says so).
    mov ebx, [ticks]
.spin:
    mov dx, TIMER_PENDING
    in al, dx
    test al, 1
    jz .spin
    mov esi, pending_text
    call print
    sti                                 ; the window opens after the next instruction
    nop
    cli
    mov eax, [ticks]
    sub eax, ebx
    push eax
    mov esi, taken_text
    call print
    pop eax
    call print_decimal
    mov esi, newline
    call print

    mov dx, TIMER_PERIOD
    xor eax, eax
    out dx, eax                         ; stop the timer
    mov esi, counted_text
    call print
    mov eax, [ticks]
    call print_decimal
    mov esi, delivered_text
    call print
    mov dx, TIMER_TICKS
    in eax, dx
    call print_decimal
    mov esi, newline
    call print
    hlt                                 ; interrupts off: nothing can wake it, and the hypervisor ends it

timer_handler:
    inc dword [ticks]
    iret

%include "console.inc"
%include "interrupts.inc"

hello:          db "ticks: vector 48 every 10000 us", 10, 0
tick_text:      db "tick ", 0
pending_text:   db "a tick is pending while interrupts are off", 10, 0
taken_text:     db "taken when they came back on: ", 0
counted_text:   db "counted ", 0
delivered_text: db " ticks; the timer delivered ", 0
newline:        db 10, 0
ticks:          dd 0
