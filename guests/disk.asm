; A guest that uses its virtual disk (kernel/Virt/VirtualDisk.cs; `vm run /guests/disk.bin --disk
; FILE`). It reads the disk's size, reads sector 0 and prints its first line, writes a line of its
; own to sector 1 and reads it back, then asks for sectors past the end, which the device refuses
; with a status instead of touching anything.
bits 32
org 0x1000
%include "devices.inc"

start:
    mov dx, DISK_SECTORS
    in eax, dx
    mov [sectors], eax
    push eax
    mov esi, size_text
    call print
    pop eax
    call print_decimal
    mov esi, sectors_text
    call print
    cmp dword [sectors], 0
    je .no_disk

    xor eax, eax                        ; sector 0, its first line
    call read_sector
    mov esi, sector0_text
    call print_status
    mov esi, buffer
    call print_line

    mov esi, message                    ; sector 1: the guest's line, then read back
    mov edi, buffer
    mov ecx, 512 / 4
    rep movsd
    mov eax, 1
    call write_sector
    mov esi, write1_text
    call print_status
    mov edi, buffer                     ; forget it, to be sure the read brings it back
    xor eax, eax
    mov ecx, 512 / 4
    rep stosd
    mov eax, 1
    call read_sector
    mov esi, read1_text
    call print_status
    mov esi, buffer
    call print_line

    mov eax, [sectors]                  ; the first sector past the end
    call read_sector
    mov esi, past_text
    call print_status
    mov eax, 0xFFFFFFFF
    call write_sector
    mov esi, far_text
    call print_status
    hlt

.no_disk:
    mov dx, DISK_COMMAND
    in al, dx
    movzx eax, al
    push eax
    mov esi, none_text
    call print
    pop eax
    call print_decimal
    mov esi, newline
    call print
    hlt

; read_sector: sector EAX into buffer (the status stays in the device). Clobbers EAX, ECX, EDX, EDI.
read_sector:
    mov dx, DISK_SECTOR
    out dx, eax
    mov dx, DISK_COMMAND
    mov al, DISK_READ
    out dx, al
    mov dx, DISK_DATA
    mov edi, buffer
    mov ecx, 512 / 4
.word:
    in eax, dx                          ; four bytes an exit
    stosd
    loop .word
    ret

; write_sector: buffer to sector EAX. Clobbers EAX, ECX, EDX, ESI.
write_sector:
    mov dx, DISK_SECTOR
    out dx, eax
    mov dx, DISK_DATA
    mov esi, buffer
    mov ecx, 512 / 4
.word:
    lodsd
    out dx, eax
    loop .word
    mov dx, DISK_COMMAND
    mov al, DISK_WRITE
    out dx, al
    ret

; print_status: prints ESI, then the device's status and a newline. Clobbers EAX, ECX, EDX, ESI, EDI.
print_status:
    call print
    mov dx, DISK_COMMAND
    in al, dx
    movzx eax, al
    call print_decimal
    mov esi, newline
    jmp print

; print_line: prints the text at ESI up to its first newline (at most 64 bytes), and a newline.
print_line:
    mov edi, esi
    mov ecx, 64
.find:
    cmp byte [edi], 10
    je .cut
    cmp byte [edi], 0
    je .cut
    inc edi
    loop .find
.cut:
    mov byte [edi], 0
    push esi
    mov esi, quote_text
    call print
    pop esi
    call print
    mov esi, end_quote_text
    jmp print

%include "console.inc"

size_text:      db "disk: ", 0
sectors_text:   db " sectors", 10, 0
sector0_text:   db "read sector 0: status ", 0
write1_text:    db "write sector 1: status ", 0
read1_text:     db "read sector 1: status ", 0
past_text:      db "read the sector past the end: status ", 0
far_text:       db "write sector 4294967295: status ", 0
none_text:      db "no disk: status ", 0
quote_text:     db "  | ", 0
end_quote_text: db 10, 0
newline:        db 10, 0
sectors:        dd 0
align 4
message:        db "written by the guest", 10
                times 512 - ($ - message) db 0
buffer:         times 516 db 0
