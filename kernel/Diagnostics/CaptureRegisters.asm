; void capture_caller_registers(UnwindRegisters* registers)
; Records the caller's state as it will be when this call returns: the return address is the
; caller's rip, rsp + 8 is the caller's rsp, and callee-saved registers are untouched by the call.
; Field order matches Diagnostics/Backtrace.cs UnwindRegisters.
bits 64
section .text
global capture_caller_registers
capture_caller_registers:
    mov rax, [rsp]
    mov [rdi + 0], rax              ; Rip
    lea rax, [rsp + 8]
    mov [rdi + 8], rax              ; Rsp
    mov [rdi + 16], rbp
    mov [rdi + 24], rbx
    mov [rdi + 32], r12
    mov [rdi + 40], r13
    mov [rdi + 48], r14
    mov [rdi + 56], r15
    ret
