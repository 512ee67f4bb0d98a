; A guest that programs its virtual timer with what it should not (kernel/Virt/VirtualTimer.cs): an
; exception's vector, a period of 1 microsecond, one of over an hour, and 0. It reads back what the
; device made of each: the vector refused, the periods held to what the host can give and to one
; second, 0 stopping the timer. Then it turns interrupts on and halts: with the timer stopped nothing
; can wake it, so the hypervisor ends it instead of waiting for ever.
bits 32
org 0x1000
%include "devices.inc"

start:
    mov dx, TIMER_VECTOR
    mov al, 5                           ; #BR, an exception: refused
    out dx, al
    mov esi, vector_text
    call print
    mov dx, TIMER_VECTOR
    in al, dx
    movzx eax, al
    call print_decimal

    mov eax, 1
    mov esi, tiny_text
    call set_period
    mov eax, 0xFFFFFFFF
    mov esi, huge_text
    call set_period
    xor eax, eax
    mov esi, zero_text
    call set_period
    mov esi, newline
    call print

    sti
    hlt                                 ; the timer is stopped: this ends the guest

; set_period: writes EAX to the period register and prints ESI and what it reads back.
set_period:
    mov dx, TIMER_PERIOD
    out dx, eax
    call print
    mov dx, TIMER_PERIOD
    in eax, dx
    call print_decimal
    ret

%include "console.inc"

vector_text: db "vector 5 refused, vector is ", 0
tiny_text:   db 10, "period 1 us: ", 0
huge_text:   db 10, "period 4294967295 us: ", 0
zero_text:   db 10, "period 0 us: ", 0
newline:     db 10, 0
