using System;

namespace TeachOS
{
    /// <summary>
    /// SHA-256, as FIPS 180-4 defines it (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2), written out so
    /// that a student can follow the standard line by line. TeachOS uses it for password hashes
    /// (PasswordHash.cs); nothing here is secret, and nothing is fast on purpose: the iterations that
    /// make password guessing slow live in PasswordHash, not here.
    ///
    /// The message is processed in 64-byte blocks. The last block is padded (section 5.1.1): a 1 bit,
    /// zeros, and the message's length in bits as a 64-bit big-endian number, so that a message of
    /// 55 bytes still fits in one block, and one of 56 needs two (the length no longer fits after the 1 bit).
    /// </summary>
    public sealed class Sha256
    {
        public const int HashBytes = 32;
        private const int BlockBytes = 64;

        // Section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] RoundConstants =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] state = new uint[8];
        private readonly uint[] schedule = new uint[64];
        private readonly byte[] block = new byte[BlockBytes];
        private int blockLength;
        private ulong totalBytes;

        public Sha256() => Reset();

        /// <summary>Starts a new message (section 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes).</summary>
        public void Reset()
        {
            state[0] = 0x6a09e667; state[1] = 0xbb67ae85; state[2] = 0x3c6ef372; state[3] = 0xa54ff53a;
            state[4] = 0x510e527f; state[5] = 0x9b05688c; state[6] = 0x1f83d9ab; state[7] = 0x5be0cd19;
            blockLength = 0;
            totalBytes = 0;
        }

        /// <summary>Adds bytes to the message; may be called any number of times before <see cref="Finish"/>.</summary>
        public void Append(ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                block[blockLength++] = data[i];
                if (blockLength == BlockBytes)
                {
                    Compress();
                    blockLength = 0;
                }
            }
            totalBytes += (ulong)data.Length;
        }

        /// <summary>Adds a string's characters as bytes (TeachOS text is ASCII; higher characters keep their low byte).</summary>
        public void AppendAscii(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                block[blockLength++] = (byte)text[i];
                if (blockLength == BlockBytes)
                {
                    Compress();
                    blockLength = 0;
                }
            }
            totalBytes += (ulong)text.Length;
        }

        /// <summary>Pads the message (section 5.1.1), writes the 32-byte hash into <paramref name="hash"/> and starts over.</summary>
        public void Finish(Span<byte> hash)
        {
            ulong bitLength = totalBytes * 8;
            block[blockLength++] = 0x80;
            // No room for the 8-byte length after the 1 bit: this block is finished with zeros, and
            // the length goes in one more block.
            if (blockLength > BlockBytes - 8)
            {
                while (blockLength < BlockBytes) block[blockLength++] = 0;
                Compress();
                blockLength = 0;
            }
            while (blockLength < BlockBytes - 8) block[blockLength++] = 0;
            for (int i = 7; i >= 0; i--) block[blockLength++] = (byte)(bitLength >> (i * 8));
            Compress();

            for (int word = 0; word < 8; word++)
                for (int i = 0; i < 4; i++)
                    hash[word * 4 + i] = (byte)(state[word] >> (24 - i * 8));
            Reset();
        }

        /// <summary>The hash of one message.</summary>
        public static byte[] Hash(ReadOnlySpan<byte> message)
        {
            var sha = new Sha256();
            sha.Append(message);
            byte[] hash = new byte[HashBytes];
            sha.Finish(hash);
            return hash;
        }

        /// <summary>Section 6.2.2: one 64-byte block mixed into the state in 64 rounds.</summary>
        private void Compress()
        {
            // Step 1, the message schedule: the block's 16 big-endian words, then 48 more mixed from them.
            for (int t = 0; t < 16; t++)
                schedule[t] = (uint)block[t * 4] << 24 | (uint)block[t * 4 + 1] << 16 | (uint)block[t * 4 + 2] << 8 | block[t * 4 + 3];
            for (int t = 16; t < 64; t++)
                schedule[t] = SmallSigma1(schedule[t - 2]) + schedule[t - 7] + SmallSigma0(schedule[t - 15]) + schedule[t - 16];

            // Steps 2 to 4: eight working variables, 64 rounds, then added back into the state.
            uint a = state[0], b = state[1], c = state[2], d = state[3];
            uint e = state[4], f = state[5], g = state[6], h = state[7];
            for (int t = 0; t < 64; t++)
            {
                uint temporary1 = h + BigSigma1(e) + Choose(e, f, g) + RoundConstants[t] + schedule[t];
                uint temporary2 = BigSigma0(a) + Majority(a, b, c);
                h = g; g = f; f = e;
                e = d + temporary1;
                d = c; c = b; b = a;
                a = temporary1 + temporary2;
            }
            state[0] += a; state[1] += b; state[2] += c; state[3] += d;
            state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        }

        // Section 4.1.2: the six functions, on 32-bit words.
        private static uint RotateRight(uint x, int n) => x >> n | x << (32 - n);
        private static uint Choose(uint x, uint y, uint z) => (x & y) ^ (~x & z);
        private static uint Majority(uint x, uint y, uint z) => (x & y) ^ (x & z) ^ (y & z);
        private static uint BigSigma0(uint x) => RotateRight(x, 2) ^ RotateRight(x, 13) ^ RotateRight(x, 22);
        private static uint BigSigma1(uint x) => RotateRight(x, 6) ^ RotateRight(x, 11) ^ RotateRight(x, 25);
        private static uint SmallSigma0(uint x) => RotateRight(x, 7) ^ RotateRight(x, 18) ^ x >> 3;
        private static uint SmallSigma1(uint x) => RotateRight(x, 17) ^ RotateRight(x, 19) ^ x >> 10;
    }
}
