using System;

namespace TeachOS
{
    /// <summary>
    /// Salt for a new password hash. A salt need not be secret, only different for every hash ever
    /// made (PasswordHash.cs says why), so it is made by hashing what differs from one call to the next:
    /// the CPU's cycle counter (rdtsc, which moves billions of times a second), the time since boot and
    /// the process id. TeachOS has no kernel entropy source yet (no /dev/random); keys or tokens,
    /// which must be unguessable, would need one.
    /// </summary>
    public static class Salt
    {
        public static byte[] Make()
        {
            var sha = new Sha256();
            byte[] word = new byte[8];
            Put(word, Timestamp.Read()); sha.Append(word);
            Put(word, (ulong)Sys.Uptime()); sha.Append(word);
            Put(word, (ulong)Sys.GetPid()); sha.Append(word);
            Put(word, Timestamp.Read()); sha.Append(word);
            byte[] hash = new byte[Sha256.HashBytes];
            sha.Finish(hash);
            byte[] salt = new byte[PasswordHash.SaltBytes];
            for (int i = 0; i < salt.Length; i++) salt[i] = hash[i];
            return salt;
        }

        private static void Put(byte[] bytes, ulong value)
        {
            for (int i = 0; i < 8; i++) bytes[i] = (byte)(value >> (i * 8));
        }
    }
}
