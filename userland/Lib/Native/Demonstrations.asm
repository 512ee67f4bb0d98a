; Instructions a user program is not allowed to execute, for the lesson "user mode versus kernel
; mode" (userland/Programs/fault.cs). In ring 3 each one raises a general-protection fault (#GP), and
; the kernel kills the program that tried.
bits 64
section .text
global demo_cli, demo_hlt, demo_out, demo_ud2
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
