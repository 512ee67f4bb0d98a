; Where every TeachOS program starts (the ELF entry point, linker script userland/Lib/user.ld).
; The kernel (kernel/Loader/ProgramLoader.cs) left: rsp -> argc, then argv[0..argc-1], then 0, then
; envp[...] and 0. We pass argc, argv and envp to C# (Startup.cs), which never returns: it calls exit.
bits 64
section .text
global _start
extern user_start
_start:
    xor ebp, ebp                    ; the outermost frame: backtraces stop here
    mov rdi, [rsp]                  ; argc
    lea rsi, [rsp + 8]              ; argv
    lea rdx, [rsi + rdi * 8 + 8]    ; envp: past argv's argc pointers and its 0
    and rsp, ~15                    ; the ABI wants rsp 16-byte aligned at every call
    call user_start
    ud2                             ; not reached
