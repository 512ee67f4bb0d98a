using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Virtual disks given and taken away (kernel/Virt/VirtualDisk.cs), where the random calls seldom get a
    /// machine and a file in the right registers: rounds of machines given a file as their disk, a second
    /// disk (EEXIST), a pipe, a machine, a closed or no descriptor (EINVAL, EBADF), the file's own
    /// descriptor closed before the machine is destroyed (the machine keeps the file open) or the
    /// machine left for exit to destroy. The frames are reported, not compared: a machine left to a
    /// child's exit may give its frames back a moment after the wait (and a CPU's first guest takes its
    /// host save area for good); the memory check at init's exit compares them all.
    /// </summary>
    public static unsafe class VmScenarios
    {
        private const string DiskPath = "/fzv";
        private const int Rounds = 20;

        public static bool Disk()
        {
            long probe = Sys.VmCreate(1);
            if (probe == -Errno.ENODEV) { ExhaustionScenarios.Report("vm-disk: no SVM: vm_create gives ENODEV"); return true; }
            if (probe >= 0) Sys.VmDestroy((int)probe);
            Sys.Unlink(DiskPath);
            long file = Sys.Open(DiskPath, OpenFlags.Create | OpenFlags.ReadWrite);
            byte[] sectors = new byte[4096];
            for (int i = 0; i < sectors.Length; i++) sectors[i] = (byte)('D' + i % 7);
            if (file < 0 || Sys.Write((int)file, sectors) != sectors.Length) { ExhaustionScenarios.Report("vm-disk: no disk file"); return false; }
            Sys.Pipe(out PipeDescriptors pipe);

            Sys.IpcUsage(out IpcUsage before);
            int wrong = 0;
            for (int round = 0; round < Rounds; round++)
            {
                long vm = Sys.VmCreate(1 + round % 3), second = Sys.VmCreate(1);
                if (vm < 0 || second < 0) { wrong++; break; }
                wrong += Expect(Sys.VmAttachDisk((int)vm, (int)file), 0);
                wrong += Expect(Sys.VmAttachDisk((int)vm, (int)file), -Errno.EEXIST);
                wrong += Expect(Sys.VmAttachDisk((int)file, (int)vm), -Errno.EBADF);          // a file is no machine
                wrong += Expect(Sys.VmAttachDisk((int)second, pipe.Read), -Errno.EINVAL);
                wrong += Expect(Sys.VmAttachDisk((int)second, (int)vm), -Errno.EINVAL);        // a machine is no file
                wrong += Expect(Sys.VmAttachDisk((int)second, (int)second), -Errno.EINVAL);
                wrong += Expect(Sys.VmAttachDisk((int)second, 99), -Errno.EBADF);
                long copy = Sys.Duplicate((int)file, 20);
                wrong += Expect(Sys.VmAttachDisk((int)second, (int)copy), 0);
                Sys.Close((int)copy);                                                            // the machine keeps the file
                wrong += Expect(Sys.VmAttachDisk((int)second, (int)copy), -Errno.EBADF);
                if (round % 2 == 0) wrong += Expect(Sys.VmDestroy((int)second), 0);
                wrong += Expect(Sys.VmDestroy((int)vm), 0);
                wrong += Expect(Sys.VmAttachDisk((int)vm, (int)file), -Errno.EBADF);            // destroyed: its descriptor is gone
                if (round % 2 == 1) LeaveToExit((int)file);                                      // a child's machine with a disk, left to exit
                if (round % 2 == 1) wrong += Expect(Sys.VmDestroy((int)second), 0);
            }
            Sys.IpcUsage(out IpcUsage after);
            Sys.Close(pipe.Read);
            Sys.Close(pipe.Write);
            Sys.Close((int)file);
            long unlinked = Sys.Unlink(DiskPath);
            ExhaustionScenarios.Report("vm-disk: " + Rounds + " rounds, " + wrong + " answers wrong; free frames " + before.FreeFrames +
                                       " before, " + after.FreeFrames + " after; unlink " + unlinked);
            return wrong == 0 && unlinked == 0;
        }

        // A child gives a machine of its own the file as a disk and exits without destroying it.
        private static void LeaveToExit(int file)
        {
            long pid = Sys.Fork();
            if (pid == 0)
            {
                long vm = Sys.VmCreate(1);
                Sys.Exit(vm >= 0 && Sys.VmAttachDisk((int)vm, file) == 0 ? 0 : 1);
            }
            if (pid > 0) Sys.Wait((int)pid, out _);
        }

        private static int Expect(long got, long wanted)
        {
            if (got == wanted) return 0;
            ExhaustionScenarios.Report("vm-disk: " + got + " where " + wanted + " was due");
            return 1;
        }
    }
}
