namespace Fs
{
    /// <summary>A process's open files, by descriptor number (0 stdin, 1 stdout, 2 stderr, ...).</summary>
    public sealed class FileTable
    {
        public const int Size = 32;
        private readonly OpenFile[] _files = new OpenFile[Size];

        public OpenFile Get(int descriptor) => descriptor >= 0 && descriptor < Size ? _files[descriptor] : null;

        /// <summary>Puts <paramref name="file"/> in the lowest free slot; -1 if the table is full.</summary>
        public int Add(OpenFile file)
        {
            for (int i = 0; i < Size; i++)
            {
                if (_files[i] != null) continue;
                _files[i] = file;
                return i;
            }
            return -1;
        }

        /// <summary>Makes <paramref name="descriptor"/> refer to <paramref name="file"/>, closing what was there.</summary>
        public void Set(int descriptor, OpenFile file)
        {
            OpenFile old = _files[descriptor];
            _files[descriptor] = file;
            file?.AddReference();
            old?.Release();
        }

        public bool Close(int descriptor)
        {
            OpenFile file = Get(descriptor);
            if (file == null) return false;
            _files[descriptor] = null;
            file.Release();
            return true;
        }

        public void CloseAll()
        {
            for (int i = 0; i < Size; i++) Close(i);
        }

        /// <summary>Returns the table's memory (after CloseAll).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_files);
            Mem.KernelHeap.Free(this);
        }
    }
}
