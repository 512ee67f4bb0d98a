namespace Diagnostics
{
    /// <summary>
    /// Reads the DWARF call-frame information (.eh_frame) that ilc emits for every method. For any
    /// code address it answers: where is this function's Canonical Frame Address (the caller's stack
    /// pointer just before the call), and where did the function save the caller's registers?
    /// That is all a backtrace needs, without relying on frame pointers (ilc omits them in small
    /// methods). Format: DWARF 4 section 6.4 and the Linux Standard Base's .eh_frame / .eh_frame_hdr.
    /// ilc's programs only use the instructions handled below: they describe prologues (push, sub rsp).
    /// </summary>
    public static unsafe class CallFrameInfo
    {
        /// <summary>How to compute the caller's registers at one code address.</summary>
        public struct Rule
        {
            public int CfaRegister;          // DWARF register number the CFA is relative to (7 = rsp, 6 = rbp)
            public long CfaOffset;
            public long RbpSavedAt;          // offset from the CFA where rbp was saved, or 0 if unchanged
            public long RbxSavedAt;
            public long R12SavedAt, R13SavedAt, R14SavedAt, R15SavedAt;
        }

        public const int DwarfRbx = 3, DwarfRbp = 6, DwarfRsp = 7, DwarfR12 = 12, DwarfReturnAddress = 16;

        private const byte EncodingPcRelativeSigned4 = 0x1B;
        private const byte EncodingUnsigned4 = 0x03;
        private const byte EncodingDataRelativeSigned4 = 0x3B;

        /// <summary>Finds the rule for <paramref name="pc"/>. False if no function covers it.</summary>
        public static bool TryFind(ulong pc, out Rule rule)
        {
            rule = default;
            byte* fde = FindFde(pc, out ulong functionStart);
            if (fde == null) return false;

            byte* cie = fde + 4 - *(int*)(fde + 4);
            if (!ReadCie(cie, out long dataAlignment, out byte* cieInstructions, out byte* cieEnd)) return false;

            rule.CfaRegister = DwarfRsp;
            rule.CfaOffset = 8;
            Execute(cieInstructions, cieEnd, ulong.MaxValue, functionStart, dataAlignment, ref rule);

            byte* at = fde + 8 + 4 + 4;                      // length, CIE pointer, pc_begin, pc_range
            ulong augmentationLength = ReadUleb(ref at);
            at += augmentationLength;
            byte* fdeEnd = fde + 4 + *(uint*)fde;
            Execute(at, fdeEnd, pc, functionStart, dataAlignment, ref rule);
            return true;
        }

        /// <summary>Binary search of the sorted table ld put in .eh_frame_hdr.</summary>
        private static byte* FindFde(ulong pc, out ulong functionStart)
        {
            functionStart = 0;
            byte* header = Boot.LinkerSymbols.EhFrameHeaderStart();
            if (Boot.LinkerSymbols.EhFrameHeaderEnd() - header < 12) return null;
            if (header[0] != 1 || header[1] != EncodingPcRelativeSigned4 || header[2] != EncodingUnsigned4 ||
                header[3] != EncodingDataRelativeSigned4) return null;

            uint count = *(uint*)(header + 8);
            int* table = (int*)(header + 12);                // pairs: function start, FDE (relative to header)
            long low = 0, high = (long)count - 1, found = -1;
            while (low <= high)
            {
                long middle = (low + high) / 2;
                if ((ulong)(header + table[middle * 2]) <= pc) { found = middle; low = middle + 1; }
                else high = middle - 1;
            }
            if (found < 0) return null;

            byte* fde = header + table[found * 2 + 1];
            functionStart = (ulong)(header + table[found * 2]);
            ulong range = *(uint*)(fde + 12);
            return pc < functionStart + range ? fde : null;
        }

        private static bool ReadCie(byte* cie, out long dataAlignment, out byte* instructions, out byte* end)
        {
            end = cie + 4 + *(uint*)cie;
            byte* at = cie + 8;                              // length, CIE id
            byte version = *at++;
            byte* augmentation = at;
            while (*at != 0) at++;
            at++;
            ReadUleb(ref at);                                // code alignment: 1 on x86
            dataAlignment = ReadSleb(ref at);                // -8 on x86-64
            if (version == 1) at++; else ReadUleb(ref at);  // return-address register
            if (augmentation[0] == 'z')
            {
                ulong length = ReadUleb(ref at);
                at += length;
            }
            instructions = at;
            return true;
        }

        private static void Execute(byte* at, byte* end, ulong pc, ulong location, long dataAlignment, ref Rule rule)
        {
            while (at < end && location <= pc)
            {
                byte op = *at++;
                byte high = (byte)(op & 0xC0), low = (byte)(op & 0x3F);
                if (high == 0x40) { location += low; continue; }                         // advance_loc
                if (high == 0x80) { Save(ref rule, low, (long)ReadUleb(ref at) * dataAlignment); continue; }  // offset
                if (high == 0xC0) { Save(ref rule, low, 0); continue; }                  // restore
                switch (op)
                {
                    case 0x00: break;                                                    // nop
                    case 0x02: location += *at; at += 1; break;                          // advance_loc1
                    case 0x03: location += *(ushort*)at; at += 2; break;                 // advance_loc2
                    case 0x04: location += *(uint*)at; at += 4; break;                   // advance_loc4
                    case 0x05:                                                           // offset_extended
                        {
                            int register = (int)ReadUleb(ref at);
                            Save(ref rule, register, (long)ReadUleb(ref at) * dataAlignment);
                            break;
                        }
                    case 0x0C: rule.CfaRegister = (int)ReadUleb(ref at); rule.CfaOffset = (long)ReadUleb(ref at); break; // def_cfa
                    case 0x0D: rule.CfaRegister = (int)ReadUleb(ref at); break;           // def_cfa_register
                    case 0x0E: rule.CfaOffset = (long)ReadUleb(ref at); break;            // def_cfa_offset
                    default: return;                                                     // unknown: stop here
                }
            }
        }

        private static void Save(ref Rule rule, int register, long offset)
        {
            switch (register)
            {
                case DwarfRbx: rule.RbxSavedAt = offset; break;
                case DwarfRbp: rule.RbpSavedAt = offset; break;
                case 12: rule.R12SavedAt = offset; break;
                case 13: rule.R13SavedAt = offset; break;
                case 14: rule.R14SavedAt = offset; break;
                case 15: rule.R15SavedAt = offset; break;
            }
        }

        private static ulong ReadUleb(ref byte* at)
        {
            ulong result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *at++;
                result |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return result;
        }

        private static long ReadSleb(ref byte* at)
        {
            long result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *at++;
                result |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
            return result;
        }
    }
}
