; The two doors into the kernel. Both take the syscall number and up to six arguments as ordinary
; C# arguments (rdi, rsi, rdx, rcx, r8, r9, then the stack) and move them to where the kernel's
; syscall ABI wants them (abi/SyscallNumbers.cs): number in rax, arguments in rdi, rsi, rdx, r10,
; r8, r9. The result comes back in rax: >= 0, or a negated errno.
bits 64
section .text

%macro ARGUMENTS_TO_SYSCALL_REGISTERS 0
    mov rax, rdi                    ; number
    mov rdi, rsi                    ; argument 0
    mov rsi, rdx                    ; argument 1
    mov rdx, rcx                    ; argument 2
    mov r10, r8                     ; argument 3 (r10: `syscall` overwrites rcx)
    mov r8, r9                      ; argument 4
    mov r9, [rsp + 8]               ; argument 5, passed on the stack
%endmacro

global syscall_invoke
syscall_invoke:                     ; long syscall_invoke(long number, a0, a1, a2, a3, a4, a5)
    ARGUMENTS_TO_SYSCALL_REGISTERS
    syscall                         ; the fast path: no stack switch by the CPU, no IDT
    ret

global int80_invoke
int80_invoke:                       ; the same call through the interrupt gate: int 0x80
    ARGUMENTS_TO_SYSCALL_REGISTERS
    int 0x80
    ret

; A new thread starts here (UserThread.cs asks thread_create for it): rdi = the C# function,
; rsi = its argument. When the function returns, the thread exits with its result.
global user_thread_start
extern user_thread_main
user_thread_start:
    xor ebp, ebp
    call user_thread_main           ; user_thread_main(function, argument) calls thread_exit
    ud2

global user_thread_start_address
user_thread_start_address:
    lea rax, [rel user_thread_start]
    ret

global user_modules_start, user_modules_end
extern __modules_start, __modules_end
user_modules_start:
    lea rax, [rel __modules_start]
    ret
user_modules_end:
    lea rax, [rel __modules_end]
    ret
