; Routines the assignments' test programs (assignments/*/grade/) need and compiled C# cannot
; express: they control every register, or the memory below rsp, or the frame chain. Each checks a
; promise the kernel makes that ordinary compiled code would never notice being broken.
bits 64
section .text

; long scrubbed_syscall(long number): makes syscall `number` (no arguments) with every general
; register but rsp, and every SSE register, overwritten first. The alarm test ends its handler with
; it: a SigReturn that puts back only the registers compiled code happens to change (the handler
; keeps the callee-saved ones, rbx, rbp and r12-r15, as the ABI says) is caught, because here all
; of them hold values the interrupted code never had. If the syscall returns, the callee-saved
; registers are put back and its result is returned, as from any call.
global scrubbed_syscall
scrubbed_syscall:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov rax, rdi                    ; the number
    mov rbx, 0x5c5c5c5c5c5c0001     ; values no C# code computes
    mov rcx, 0x5c5c5c5c5c5c0002
    mov rdx, 0x5c5c5c5c5c5c0003
    mov rsi, 0x5c5c5c5c5c5c0004
    mov rdi, 0x5c5c5c5c5c5c0005
    mov rbp, 0x5c5c5c5c5c5c0006
    mov r8,  0x5c5c5c5c5c5c0007
    mov r9,  0x5c5c5c5c5c5c0008
    mov r10, 0x5c5c5c5c5c5c0009
    mov r11, 0x5c5c5c5c5c5c000a
    mov r12, 0x5c5c5c5c5c5c000b
    mov r13, 0x5c5c5c5c5c5c000c
    mov r14, 0x5c5c5c5c5c5c000d
    mov r15, 0x5c5c5c5c5c5c000e
%assign n 0
%rep 16
    movq xmm %+ n, rbx              ; and the same garbage in each SSE register
    pshufd xmm %+ n, xmm %+ n, n * 13
%assign n n + 1
%endrep
    syscall
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; long red_zone_probe(long rounds): writes 16 known words into the red zone (the 128 bytes below
; rsp, which the System V ABI lets a function use without moving rsp), then checks them `rounds`
; times. Returns how many times a word was found changed (and written again). An alarm handler
; whose stack starts inside the red zone changes them; compiled C# never uses the red zone, so
; only assembly can check this.
RED_ZONE_WORDS equ 16
PATTERN        equ 0x9e3779b97f4a7c15

global red_zone_probe
red_zone_probe:
    xor eax, eax                    ; changes found
    mov r8, PATTERN
    xor ecx, ecx
.fill:
    lea rdx, [rcx + 1]
    imul rdx, r8                    ; word i holds (i + 1) * PATTERN
    mov [rsp + rcx * 8 - RED_ZONE_WORDS * 8], rdx
    inc rcx
    cmp rcx, RED_ZONE_WORDS
    jb .fill
.round:
    test rdi, rdi
    jz .done
    xor ecx, ecx
.check:
    lea rdx, [rcx + 1]
    imul rdx, r8
    cmp [rsp + rcx * 8 - RED_ZONE_WORDS * 8], rdx
    je .same
    inc rax
    mov [rsp + rcx * 8 - RED_ZONE_WORDS * 8], rdx
.same:
    inc rcx
    cmp rcx, RED_ZONE_WORDS
    jb .check
    dec rdi
    jmp .round
.done:
    ret

; void int3_with_looping_chain(void): a breakpoint (#BP) with rbp pointing at a frame record whose
; caller record is itself: a corrupt frame chain, as a buggy or hostile program leaves it. A kernel
; that walks the chain must stop (at a record that is not further up the stack, or at a frame
; limit), or it walks forever. After the trap, the real chain is put back.
global int3_with_looping_chain
int3_with_looping_chain:
    push rbp
    mov rbp, rsp                    ; a proper record, to put back afterwards
    sub rsp, 16
    mov [rsp], rsp                  ; the corrupt record: its caller record is itself
    mov rax, [rbp + 8]
    mov [rsp + 8], rax              ; and its return address our caller's
    mov rbp, rsp
    int3
    add rsp, 16
    pop rbp
    ret

; long stack_misalignment(void): rsp modulo 16 at the call that reached here, which the System V
; ABI wants 0 (so rsp is 8 below a multiple of 16 on entry, the return address pushed). Compiled
; code keeps that alignment from its own entry on, so called from a function it tells whether the
; function was entered aligned: an alarm handler that the kernel starts with a misaligned stack
; works until an instruction that needs an aligned slot (movaps) faults.
global stack_misalignment
stack_misalignment:
    lea rax, [rsp + 8]
    and eax, 15
    ret
