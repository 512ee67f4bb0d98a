; RhpByRefAssignRef: the write barrier ilc calls when it copies a struct that holds references
; (`table[i] = entry;` for a struct with a class-typed field), one reference at a time. Its calling
; convention is its own, not the ABI's: the source is at [rsi], the destination at [rdi], and both
; pointers must come back advanced by 8, ready for the next field. With no garbage collector to
; tell (runtime/Internal/Runtime/Allocator.cs), the barrier is the plain copy. rcx is the one
; scratch register the helper may use (besides rdi and rsi, which it advances).
bits 64
section .text
global RhpByRefAssignRef
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret
