; The two halves of Sync/SpinLock.cs that run on nearly every syscall and every thread switch, in
; assembly because each is a handful of instructions that C# can only reach through several calls
; (read the flags, clear IF, exchange, set IF: one call each, each with its own entry and exit).
; The logic is the C# version's, step for step; SpinLock.cs explains why it is what it is.
bits 64
section .text

global spinlock_acquire, spinlock_release

; bool spinlock_acquire(uint* word): turns interrupts off on this CPU, then spins until the lock word
; is ours. `lock bts` is the test-and-set in one indivisible instruction for every CPU: it sets bit 0
; of the word and leaves the bit's old value in the carry flag, so CF = 1 means another CPU holds it.
; (The word is only ever 0 or 1, so bit 0 is the whole word.) Returns whether interrupts were on
; before (RFLAGS.IF, bit 9), for spinlock_release to restore.
spinlock_acquire:
    pushfq
    pop rax
    cli
.try:
    lock bts dword [rdi], 0
    jc .spin
    shr eax, 9
    and eax, 1
    ret
.spin:
    pause                           ; tell the CPU this is a spin loop (kinder to its sibling thread)
    cmp dword [rdi], 0              ; wait with plain reads until the lock looks free: a locked
    jne .spin                       ; instruction in a loop would keep taking the cache line away
    jmp .try

; void spinlock_release(uint* word, bool interruptsWereOn): frees the lock word, then turns interrupts
; back on if they were on. A plain store is enough to free it: x86 never lets a store pass the loads
; and stores before it (Intel SDM vol. 3A, 9.2.2), so everything written under the lock is visible to
; the next holder first. (A C# store would also do; the compiler must not move accesses across this
; call, and it cannot, because it cannot see into it.)
spinlock_release:
    mov dword [rdi], 0
    test sil, sil                   ; a bool argument: only its low byte is defined (System V ABI)
    jz .done
    sti
.done:
    ret
