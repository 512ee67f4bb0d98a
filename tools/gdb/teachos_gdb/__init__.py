"""TeachOS's GDB extension (tools/gdb/teachos.py loads it). names.py and cfi.py are pure Python,
tested on the host (tools/gdb/tests); the other modules need GDB's `gdb` module."""
