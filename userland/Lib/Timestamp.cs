using System.Runtime;
using System.Runtime.CompilerServices;

namespace TeachOS
{
    /// <summary>CPU cycles (rdtsc), and the median of measurements taken with them.</summary>
    public static class Timestamp
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "user_read_timestamp")]
        public static extern ulong Read();

        /// <summary>The median of <paramref name="count"/> samples (sorts them in place).</summary>
        public static ulong Median(ulong[] samples, int count)
        {
            // Shell sort: short, no allocation, fast enough for thousands of samples.
            for (int gap = count / 2; gap > 0; gap /= 2)
                for (int i = gap; i < count; i++)
                    for (int j = i; j >= gap && samples[j - gap] > samples[j]; j -= gap)
                    {
                        ulong swap = samples[j];
                        samples[j] = samples[j - gap];
                        samples[j - gap] = swap;
                    }
            return count == 0 ? 0 : samples[count / 2];
        }
    }
}
