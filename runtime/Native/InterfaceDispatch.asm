; The first call through an interface dispatch cell comes here (see InterfaceDispatch.cs).
; On entry: rdi = the receiver ("this"), r11 = the dispatch cell, and the call's arguments in
; rdi, rsi, rdx, rcx, r8, r9 and xmm0-xmm7 (System V ABI). We must not disturb any of them:
; save them, ask C# for the target, restore them, and jump to the target as if called directly.
bits 64
section .text

global RhpInitialDynamicInterfaceDispatch
global RhpInitialInterfaceDispatch
extern teachos_resolve_interface_call

RhpInitialInterfaceDispatch:
RhpInitialDynamicInterfaceDispatch:
    push rbp
    mov rbp, rsp
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 8 * 16               ; xmm0-7, 16 bytes each (rsp stays 16-byte aligned for the call)
    movdqu [rsp + 0x00], xmm0
    movdqu [rsp + 0x10], xmm1
    movdqu [rsp + 0x20], xmm2
    movdqu [rsp + 0x30], xmm3
    movdqu [rsp + 0x40], xmm4
    movdqu [rsp + 0x50], xmm5
    movdqu [rsp + 0x60], xmm6
    movdqu [rsp + 0x70], xmm7

    mov rsi, r11                  ; Resolve(receiver = rdi, cell = rsi)
    call teachos_resolve_interface_call
    mov r11, rax                  ; the target's code address

    movdqu xmm0, [rsp + 0x00]
    movdqu xmm1, [rsp + 0x10]
    movdqu xmm2, [rsp + 0x20]
    movdqu xmm3, [rsp + 0x30]
    movdqu xmm4, [rsp + 0x40]
    movdqu xmm5, [rsp + 0x50]
    movdqu xmm6, [rsp + 0x60]
    movdqu xmm7, [rsp + 0x70]
    add rsp, 8 * 16
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    pop rbp
    jmp r11
