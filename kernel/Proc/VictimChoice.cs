namespace Proc
{
    /// <summary>
    /// The out-of-memory killer's policy (Proc/OutOfMemoryKiller.cs), as pure logic the host tests
    /// check: shown every process once, it picks the one that holds the most frames, never an exempt
    /// one (init), and nobody at all while an earlier victim is still dying: its frames are on their way
    /// back, and killing a second process for the same shortage would be one death too many.
    /// A struct filled in place, so choosing allocates nothing (the killer runs with the scheduler's lock).
    /// </summary>
    public struct VictimChoice
    {
        private int _victim;
        private ulong _worstFrames;
        private bool _victimStillDying;
        private bool _any;

        /// <summary>Shows one candidate: its index, the frames it holds, and what spares it.</summary>
        public void Consider(int index, ulong frames, bool exempt, bool dying)
        {
            if (dying) { _victimStillDying = true; return; }
            if (exempt) return;
            if (_any && frames <= _worstFrames) return;
            _any = true;
            _victim = index;
            _worstFrames = frames;
        }

        /// <summary>The index of the process to kill, or -1 for nobody.</summary>
        public int Victim => _any && !_victimStillDying ? _victim : -1;

        /// <summary>The frames the victim holds (for the report).</summary>
        public ulong Frames => _worstFrames;
    }
}
