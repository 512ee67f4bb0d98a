; Methods that use stackalloc place this value between their buffer and their return address, and
; check it before returning: an overflowing buffer changes it, and the check then fails fast
; (RhpFallbackFailFast) instead of returning to a corrupted address.
bits 64
section .data
global __security_cookie
__security_cookie:
    dq 0x2B992DDFA2329F57
