using Abi;
using Fs;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>
/// The id-changing rules of kernel/Fs/Permissions/Credentials.cs (POSIX's setuid family), and kill's
/// rule, without a boot. usertests' creds case checks the same through the syscalls.
/// </summary>
public class CredentialsTests
{
    private static Credentials User(int uid, int gid = 100)
    {
        var who = new Credentials();
        Assert.Equal(0, who.SetGroupIds(gid, gid, gid));
        Assert.Equal(0, who.SetUserIds(uid, uid, uid));
        return who;
    }

    [Fact]
    public void RootsSetuidSetsAllThreeForGood()
    {
        var who = new Credentials();
        Assert.True(who.IsRoot);
        Assert.Equal(0, who.SetUserId(1000));
        Assert.Equal((1000, 1000, 1000), (who.RealUserId, who.EffectiveUserId, who.SavedUserId));
        Assert.Equal(-Errno.EPERM, who.SetUserId(0));
        Assert.Equal(-Errno.EPERM, who.SetRealEffectiveUserId(-1, 0));
    }

    [Fact]
    public void AUserMovesOnlyAmongTheIdsItHolds()
    {
        var who = new Credentials();
        Assert.Equal(0, who.SetUserIds(1000, 1000, 0));          // root kept in the saved uid
        Assert.False(who.IsRoot);
        Assert.Equal(0, who.SetRealEffectiveUserId(-1, 0));        // seteuid(saved)
        Assert.True(who.IsRoot);
        Assert.Equal(0, who.SetRealEffectiveUserId(-1, 1000));
        Assert.Equal(-Errno.EPERM, who.SetUserIds(2000, -1, -1));
        Assert.Equal(-Errno.EPERM, who.SetUserId(2000));
        Assert.Equal(0, who.SetUserId(0));                         // a user's setuid: only the effective id, to the saved 0
        Assert.Equal((1000, 0, 0), (who.RealUserId, who.EffectiveUserId, who.SavedUserId));
    }

    [Fact]
    public void SetreuidMovesTheSavedIdWithTheEffectiveOne()
    {
        var who = new Credentials();
        Assert.Equal(0, who.SetRealEffectiveUserId(1000, 2000));
        Assert.Equal((1000, 2000, 2000), (who.RealUserId, who.EffectiveUserId, who.SavedUserId));
        Assert.Equal(0, who.SetRealEffectiveUserId(2000, 1000));   // swap: the real may become the effective
        Assert.Equal((2000, 1000, 1000), (who.RealUserId, who.EffectiveUserId, who.SavedUserId));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    [InlineData(UserIds.MaximumId + 1)]
    [InlineData(int.MaxValue)]
    public void BadIdsAreInvalidEvenForRoot(int id)
    {
        var who = new Credentials();
        Assert.Equal(-Errno.EINVAL, who.SetUserId(id));
        Assert.Equal(-Errno.EINVAL, who.SetGroupId(id));
        Assert.Equal(-Errno.EINVAL, who.SetRealEffectiveUserId(id, -1));
        Assert.Equal(-Errno.EINVAL, who.SetUserIds(-1, -1, id));
        Assert.Equal(-Errno.EINVAL, who.SetGroups(new[] { 5, id }));
        Assert.True(who.IsRoot);                                    // nothing changed
        Assert.Equal(-Errno.EINVAL, who.SetUserId(-1));            // -1 is "unchanged" only where a call says so
    }

    [Fact]
    public void SetgroupsIsRootsAndBounded()
    {
        var who = new Credentials();
        Assert.Equal(-Errno.EINVAL, who.SetGroups(new int[UserIds.MaximumGroups + 1]));
        Assert.Equal(0, who.SetGroups(new[] { 50, 60 }));
        Assert.True(who.InGroup(60));
        Assert.False(who.InGroup(70));
        Credentials copy = who.Copy();
        Assert.Equal(0, who.SetUserId(1000));
        Assert.Equal(-Errno.EPERM, who.SetGroups(new[] { 70 }));
        Assert.Equal(2, copy.GroupCount);                           // a child's copy is its own
    }

    [Fact]
    public void ExecOfASetuidProgramTakesTheOwnersIdAndSavesIt()
    {
        Credentials who = User(1000);
        who.Exec(FileMode.Program | FileMode.SetUserId, 1234, 77);
        Assert.Equal((1000, 1234, 1234), (who.RealUserId, who.EffectiveUserId, who.SavedUserId));
        Assert.Equal(100, who.EffectiveGroupId);                    // no setgid bit: the group stays
        Assert.Equal(0, who.SetUserId(1000));                       // drop
        Assert.Equal(0, who.SetUserId(1234));                       // and take back: the saved uid
        who.Exec(FileMode.Program, 0, 0);                           // a plain program: saved := effective
        Assert.Equal(1234, who.SavedUserId);
    }

    [Fact]
    public void KillNeedsTheSameUserOrRoot()
    {
        Credentials alice = User(1000), bob = User(1001);
        Assert.False(alice.MaySignal(bob));
        Assert.True(alice.MaySignal(User(1000)));
        Assert.True(new Credentials().MaySignal(bob));
        Credentials setuidProgram = User(1000);
        setuidProgram.Exec(FileMode.SetUserId, 0, 0);               // a setuid-root program Alice started
        Assert.True(alice.MaySignal(setuidProgram));                 // her real uid matches its real uid
        Assert.False(setuidProgram.MaySignal(bob) && !setuidProgram.IsRoot);
    }
}
