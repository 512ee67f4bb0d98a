using Drivers;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>Scancode set 1, as the PS/2 controller delivers it.</summary>
public class KeyboardLayoutTests
{
    private const byte A = 0x1E, One = 0x02, Enter = 0x1C, Space = 0x39, LeftShift = 0x2A, Control = 0x1D, CapsLock = 0x3A;
    private static byte Release(byte code) => (byte)(code | 0x80);

    [Fact]
    public void PlainKeysGiveLowerCase()
    {
        var layout = new KeyboardLayout();
        Assert.Equal('a', layout.Translate(A));
        Assert.Equal('\0', layout.Translate(Release(A)));
        Assert.Equal('1', layout.Translate(One));
        Assert.Equal('\n', layout.Translate(Enter));
        Assert.Equal(' ', layout.Translate(Space));
    }

    [Fact]
    public void ShiftGivesUpperCaseAndSymbolsUntilReleased()
    {
        var layout = new KeyboardLayout();
        layout.Translate(LeftShift);
        Assert.Equal('A', layout.Translate(A));
        Assert.Equal('!', layout.Translate(One));
        layout.Translate(Release(LeftShift));
        Assert.Equal('a', layout.Translate(A));
    }

    [Fact]
    public void CapsLockTogglesLettersOnlyAndShiftInvertsIt()
    {
        var layout = new KeyboardLayout();
        layout.Translate(CapsLock);
        layout.Translate(Release(CapsLock));
        Assert.Equal('A', layout.Translate(A));
        Assert.Equal('1', layout.Translate(One));
        layout.Translate(LeftShift);
        Assert.Equal('a', layout.Translate(A));
    }

    [Fact]
    public void ControlGivesControlCharacters()
    {
        var layout = new KeyboardLayout();
        layout.Translate(Control);
        Assert.Equal((char)1, layout.Translate(A));
        layout.Translate(Release(Control));
        Assert.Equal('a', layout.Translate(A));
    }

    [Fact]
    public void ExtendedKeysProduceNothing()
    {
        var layout = new KeyboardLayout();
        Assert.Equal('\0', layout.Translate(0xE0));
        Assert.Equal('\0', layout.Translate(0x48));   // up arrow, not '8'
        Assert.Equal('a', layout.Translate(A));
    }

    [Fact]
    public void UnknownScancodesAreIgnored()
    {
        var layout = new KeyboardLayout();
        Assert.Equal('\0', layout.Translate(0x58));   // F12
        Assert.Equal('\0', layout.Translate(0x7F));
    }
}
