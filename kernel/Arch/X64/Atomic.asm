; Atomic read-modify-write operations for locks and counters shared between CPUs.
; The `lock` prefix makes the read and the write one indivisible step for every CPU (Intel SDM
; vol. 3A, 9.1.2); xchg with a memory operand is always locked.
bits 64
section .text

%include "layout.inc"

global atomic_exchange32, atomic_compare_exchange64, atomic_add64
atomic_exchange32:                  ; uint atomic_exchange32(uint* location, uint value): old value
    mov eax, esi
    xchg [rdi], eax
    ret
atomic_compare_exchange64:          ; ulong atomic_compare_exchange64(ulong* location, ulong value, ulong expected)
    mov rax, rdx                    ; if *location == expected, store value; return the old *location
    lock cmpxchg [rdi], rsi
    ret
atomic_add64:                       ; ulong atomic_add64(ulong* location, ulong delta): the new value
    mov rax, rsi
    lock xadd [rdi], rax
    add rax, rsi
    ret

global cpu_read_gs_qword, cpu_write_gs_base, cpu_read_gs_processor_object, cpu_read_gs_thread_object
cpu_read_gs_qword:                  ; ulong cpu_read_gs_qword(ulong offset): this CPU's data at gs:offset
    mov rax, [gs:rdi]
    ret
; The two slots read most (Processor.Current, Scheduler.Current: several times per syscall and per
; switch), each with its offset built in: one instruction fewer per read than cpu_read_gs_qword.
cpu_read_gs_processor_object:
    mov rax, [gs:GS_PROCESSOR_OBJECT]
    ret
cpu_read_gs_thread_object:
    mov rax, [gs:GS_THREAD_OBJECT]
    ret
; int cpu_read_gs_exit_work(): the two bytes of work due on the way out of a trap, read as one word
; (Arch/X64/ProcessorLocal.cs ReadExitWork); 0 when neither is set.
%if GS_RUNNING_THREAD_KILLED != GS_RESCHEDULE_REQUESTED + 1
%error "ProcessorLocal: RunningThreadKilled must follow RescheduleRequested, or one word does not cover both"
%endif
global cpu_read_gs_exit_work
cpu_read_gs_exit_work:
    movzx eax, word [gs:GS_RESCHEDULE_REQUESTED]
    ret
cpu_write_gs_base:                  ; void cpu_write_gs_base(ulong base): MSR IA32_GS_BASE
    mov ecx, 0xC0000101
    mov eax, edi
    mov rdx, rdi
    shr rdx, 32
    wrmsr
    ret
