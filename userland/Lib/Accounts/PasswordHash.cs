using System;

namespace TeachOS
{
    /// <summary>
    /// The password hashes in /etc/passwd: <c>$sha256$ROUNDS$SALT$HASH</c>, SALT and HASH in lower-case
    /// hex, for example <c>$sha256$5000$9f86d081884c7d65$…</c> (64 hex digits of hash).
    ///
    /// HASH is SHA-256 iterated ROUNDS times: the first round hashes SALT's bytes then the password's,
    /// every later round hashes the previous round's 32 bytes, then SALT, then the password.
    ///
    /// Why a salt: without one, two users with the same password have the same line, and an attacker
    /// who reads /etc/passwd can look every hash up in one table computed in advance for all users of
    /// all machines (a "rainbow table"). With 16 random bytes mixed in, each line must be attacked on
    /// its own. Why iterated: SHA-256 is built to be fast (millions of passwords a second on a PC), and
    /// people choose guessable passwords; ROUNDS makes each guess cost ROUNDS hashes, for the attacker
    /// as for login, which checks one password once. ROUNDS is stored in the line so that it can grow
    /// with hardware without invalidating old hashes. (Real systems use scrypt, bcrypt or Argon2, which
    /// also cost memory, so that graphics cards do not help the attacker; the idea is the same.)
    ///
    /// A password field that is not such a hash (<c>!</c> or <c>*</c>, as Unix writes it) locks the
    /// account: no password matches it.
    /// </summary>
    public static class PasswordHash
    {
        public const string Prefix = "$sha256$";
        /// <summary>What new hashes use: about a tenth of a second of a TeachOS CPU under QEMU (docs/guide/login-section.md).</summary>
        public const int DefaultRounds = 5000;
        public const int MaximumRounds = 1000000;
        public const int SaltBytes = 16;
        private const int MaximumSaltBytes = 64;

        /// <summary>
        /// A well-formed hash of <see cref="DefaultRounds"/> rounds that no password is known to match
        /// (all zeros). login and su check a password against it when the user does not exist or the
        /// account is locked: the answer and the time it takes are then those of a wrong password, so
        /// neither tells an attacker which names exist.
        /// </summary>
        public const string Decoy = "$sha256$5000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000";

        /// <summary>
        /// Checks <paramref name="password"/> for an account that may be missing (null) or locked, in the
        /// time of a real check either way; true only for an existing account whose hash it matches.
        /// </summary>
        public static bool VerifyAccount(string password, string stored)
        {
            bool known = IsHash(stored);
            bool matches = Verify(password, known ? stored : Decoy);
            return known && matches;
        }

        /// <summary>The stored form of <paramref name="password"/> hashed with <paramref name="salt"/>.</summary>
        public static string Create(string password, ReadOnlySpan<byte> salt, int rounds)
        {
            byte[] hash = Compute(password, salt, rounds);
            return string.Concat(Prefix, rounds.ToString(), "$", Hex.Encode(salt), string.Concat("$", Hex.Encode(hash)));
        }

        /// <summary>
        /// True when <paramref name="password"/> matches <paramref name="stored"/>. A malformed or
        /// locked field matches nothing. The last comparison takes the same time wherever the bytes
        /// first differ (see <see cref="FixedTimeEquals"/>).
        /// </summary>
        public static bool Verify(string password, string stored)
        {
            if (!TryParse(stored, out int rounds, out byte[] salt, out byte[] expected)) return false;
            byte[] actual = Compute(password, salt, rounds);
            return FixedTimeEquals(actual, expected);
        }

        /// <summary>Splits a stored hash into its parts; false when it is not one (a locked account, a typo, an attack).</summary>
        public static bool TryParse(string stored, out int rounds, out byte[] salt, out byte[] hash)
        {
            rounds = 0;
            salt = null;
            hash = null;
            if (stored == null || !stored.StartsWith(Prefix)) return false;
            string[] parts = stored.Substring(Prefix.Length).Split('$');
            if (parts.Length != 3) return false;
            if (!int.TryParse(parts[0], out rounds) || rounds < 1 || rounds > MaximumRounds) return false;
            if (parts[0].Length > 7 || parts[0][0] == '+' || parts[0][0] == '-') return false;
            salt = Hex.Decode(parts[1]);
            hash = Hex.Decode(parts[2]);
            return salt != null && salt.Length >= 1 && salt.Length <= MaximumSaltBytes
                && hash != null && hash.Length == Sha256.HashBytes;
        }

        /// <summary>True when the field is a hash of this format (a password can be checked against it).</summary>
        public static bool IsHash(string stored) => TryParse(stored, out int unusedRounds, out byte[] unusedSalt, out byte[] unusedHash);

        private static byte[] Compute(string password, ReadOnlySpan<byte> salt, int rounds)
        {
            var sha = new Sha256();
            byte[] hash = new byte[Sha256.HashBytes];
            sha.Append(salt);
            sha.AppendAscii(password);
            sha.Finish(hash);
            for (int round = 1; round < rounds; round++)
            {
                sha.Append(hash);
                sha.Append(salt);
                sha.AppendAscii(password);
                sha.Finish(hash);
            }
            return hash;
        }

        /// <summary>
        /// Compares two byte strings in a time that depends on their length only. An ordinary comparison
        /// stops at the first difference; an attacker who can time it learns how many leading bytes of
        /// a guess were right, and can find a secret byte by byte. Here every byte is looked at, and the
        /// differences are gathered with OR, so the loop does the same work whatever the contents.
        /// </summary>
        public static bool FixedTimeEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            if (a.Length != b.Length) return false;
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }
}
