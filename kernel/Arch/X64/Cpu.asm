; The instructions C# has no words for: port I/O, interrupt flag, halting, reading the time-stamp
; counter and CPUID. Each is a leaf routine following the System V calling convention
; (arguments in rdi, rsi, rdx, rcx; result in rax). Declared in Cpu.cs.
bits 64
section .text

global cpu_out8, cpu_in8, cpu_out16, cpu_in16, cpu_out32, cpu_in32
cpu_out8:                           ; void cpu_out8(ushort port, byte value)
    mov dx, di
    mov al, sil
    out dx, al
    ret
cpu_in8:                            ; byte cpu_in8(ushort port)
    mov dx, di
    xor eax, eax
    in al, dx
    ret
cpu_out16:
    mov dx, di
    mov ax, si
    out dx, ax
    ret
cpu_in16:
    mov dx, di
    xor eax, eax
    in ax, dx
    ret
cpu_out32:
    mov dx, di
    mov eax, esi
    out dx, eax
    ret
cpu_in32:
    mov dx, di
    in eax, dx
    ret

global cpu_halt, cpu_disable_interrupts, cpu_enable_interrupts, cpu_enable_interrupts_and_halt, cpu_pause
cpu_halt:
    hlt
    ret
cpu_disable_interrupts:
    cli
    ret
cpu_enable_interrupts:
    sti
    ret
cpu_enable_interrupts_and_halt:     ; sti takes effect after the next instruction, so no interrupt
    sti                             ; can slip in between and leave us halted with work to do
    hlt
    ret
cpu_pause:
    pause
    ret

global cpu_read_flags
cpu_read_flags:
    pushfq
    pop rax
    ret

global cpu_read_timestamp
cpu_read_timestamp:                 ; ulong: edx:eax = cycles since reset
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

global cpu_cpuid
cpu_cpuid:                          ; void cpu_cpuid(uint leaf, uint subleaf, CpuidResult* result)
    push rbx                        ; cpuid overwrites rbx, which the caller expects preserved
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8 + 0], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret
