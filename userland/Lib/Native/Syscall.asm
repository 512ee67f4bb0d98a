; The two doors into the kernel. Both take the syscall number and up to six arguments as ordinary
; C# arguments (rdi, rsi, rdx, rcx, r8, r9, then the stack) and move them to where the kernel's
; syscall ABI wants them (abi/SyscallNumbers.cs): number in rax, arguments in rdi, rsi, rdx, r10,
; r8, r9. The result comes back in rax: >= 0, or a negated errno.
;
; Each door has one entry per number of arguments (syscall_invoke0 for none ... syscall_invoke for
; six), as C libraries have syscall0..syscall6, so that a call with fewer arguments is shorter: its
; caller passes only those, and the door moves only those. The registers of the arguments not passed
; keep whatever they held: the stubs (Sys.g.cs) pass every argument their syscall takes, and the
; kernel reads no other register (its table is generated from the same declaration). Sys.Call, which
; promises a 0 for each argument not passed, passes all six through syscall_invoke (userland/Lib/Sys.cs).
bits 64
section .text

%macro ARGUMENTS_TO_SYSCALL_REGISTERS 1   ; how many arguments there are
    mov rax, rdi                    ; number
  %if %1 >= 1
    mov rdi, rsi                    ; argument 0
  %endif
  %if %1 >= 2
    mov rsi, rdx                    ; argument 1
  %endif
  %if %1 >= 3
    mov rdx, rcx                    ; argument 2
  %endif
  %if %1 >= 4
    mov r10, r8                     ; argument 3 (r10: `syscall` overwrites rcx)
  %endif
  %if %1 >= 5
    mov r8, r9                      ; argument 4
  %endif
  %if %1 >= 6
    mov r9, [rsp + 8]               ; argument 5, passed on the stack
  %endif
%endmacro

; NAME: long NAME(long number, a0, ... a(COUNT-1)) through INSTRUCTION
%macro DOOR 3                       ; NAME, COUNT, INSTRUCTION
global %1
%1:
    ARGUMENTS_TO_SYSCALL_REGISTERS %2
    %3
    ret
%endmacro

; `syscall`, the fast path: no stack switch by the CPU, no IDT.
DOOR syscall_invoke0, 0, syscall
DOOR syscall_invoke1, 1, syscall
DOOR syscall_invoke2, 2, syscall
DOOR syscall_invoke3, 3, syscall
DOOR syscall_invoke4, 4, syscall
DOOR syscall_invoke5, 5, syscall
DOOR syscall_invoke, 6, syscall

; The same calls through the interrupt gate: int 0x80.
DOOR int80_invoke0, 0, int 0x80
DOOR int80_invoke1, 1, int 0x80
DOOR int80_invoke2, 2, int 0x80
DOOR int80_invoke3, 3, int 0x80
DOOR int80_invoke4, 4, int 0x80
DOOR int80_invoke5, 5, int 0x80
DOOR int80_invoke, 6, int 0x80

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
