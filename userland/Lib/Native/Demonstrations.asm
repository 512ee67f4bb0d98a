; Instructions that trap. Most are ones a user program is not allowed to execute, for the lesson
; "user mode versus kernel mode" (userland/Programs/fault.cs): in ring 3 each raises a
; general-protection fault (#GP), and the kernel kills the program that tried. int3 is allowed: it
; is how debuggers stop a program, and the kernel reports it and lets the program continue.
bits 64
section .text
global demo_cli, demo_hlt, demo_out, demo_ud2, demo_int3
demo_cli:                           ; turn interrupts off: only the kernel may
    cli
    ret
demo_hlt:                           ; stop the CPU: only the kernel may
    hlt
    ret
demo_out:                           ; write to an I/O port: ring 3 has no I/O permission (TSS IOPL/bitmap)
    mov dx, 0x3F8
    mov al, 'X'
    out dx, al
    ret
demo_ud2:                           ; an instruction that does not exist: #UD in any ring
    ud2
    ret
demo_int3:                          ; a breakpoint (#BP): the CPU traps with rip already past the int3
    push rbp                        ; a frame record, as compiled code builds one, so that a walk of
    mov rbp, rsp                    ; the rbp chain from the trap finds this routine's caller
    int3
    pop rbp
    ret
