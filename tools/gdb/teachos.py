# TeachOS's GDB extension, loaded by the generated .gdbinit (make gdb), or by hand:
#     source tools/gdb/teachos.py
# It sources teachos.gdb (break-trap, trapframe) and adds, from teachos_gdb/:
#   unwinder.py   bt through trap frames and the syscall entry, into the interrupted code
#   usersyms.py   the running user program's symbols, loaded at each stop; break-user, user-symbols
#   csnames.py    break/tbreak/hbreak Scheduler.Yield (C# names, tab completion); C# names in bt
#   printers.py   strings, arrays, spans, TrapFrame, Thread, Process printed readably
#   commands.py   ps, runqueue, bt-thread, pagewalk, pte
# docs/guide/02-debugging.md explains them.
import os
import sys

import gdb

_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

from teachos_gdb import commands, csnames, printers, unwinder, usersyms  # noqa: E402

gdb.execute("source " + os.path.join(_here, "teachos.gdb"))
unwinder.register()
usersyms.register()
csnames.register()
printers.register()
commands.register()
