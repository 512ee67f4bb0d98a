using System;
using TeachOS;

/// <summary>
/// Content digests (OCI image-spec descriptor.md, "Digests"): `sha256:` and 64 lowercase hex digits, the
/// SHA-256 of the blob's bytes (userland/Lib/Accounts/Sha256.cs, FIPS 180-4). A digest is a blob's name and
/// its checksum at once: whoever names a blob by digest says exactly which bytes it means.
/// </summary>
public static class Digests
{
    public const string Prefix = "sha256:";
    public const int HexLength = 64;
    /// <summary>
    /// A layer's folder in the store is named by the first 56 hex digits: a name on the disk holds 60 bytes
    /// (abi/DiskFormat.cs), and 224 bits are as strong as a whole SHA-224. The whole digest is in the image records.
    /// </summary>
    public const int StoreNameLength = 56;

    /// <summary>True for `sha256:` and 64 lowercase hex digits, the only algorithm ctr takes.</summary>
    public static bool IsWellFormed(string digest)
    {
        if (digest == null || digest.Length != Prefix.Length + HexLength || !digest.StartsWith(Prefix)) return false;
        for (int i = Prefix.Length; i < digest.Length; i++)
        {
            char c = digest[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    public static string Hex(string digest) => digest.Substring(Prefix.Length);

    public static string StoreName(string digest) => digest.Substring(Prefix.Length, StoreNameLength);

    public static string Of(byte[] bytes, int length) =>
        Prefix + TeachOS.Hex.Encode(Sha256.Hash(new ReadOnlySpan<byte>(bytes, 0, length)));
}
