namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// The heavy steps of the assignments' tests (a tree copy's build, a grader's boots) run through a
/// fixed number of slots, whichever test asks: one more than the machine has cores (3 on two cores),
/// since a grader waits on its own polling and on a guest's timers part of the time. xunit starts
/// every test class at once (xunit.runner.json: parallelAlgorithm aggressive), and a test waits for a
/// slot without holding one of xunit's threads, so the slots stay full to the end of the run instead
/// of the last lab's tests running one at a time while the other cores sit idle.
/// </summary>
public static class GradingSlots
{
    public static int Count { get; } = Environment.ProcessorCount + 1;

    private static readonly SemaphoreSlim Slots = new(Count, Count);

    /// <summary>Runs <paramref name="work"/> on a thread of its own once a slot is free.</summary>
    public static async Task<T> Run<T>(Func<T> work)
    {
        await Slots.WaitAsync().ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(work, TaskCreationOptions.LongRunning).ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }

    public static Task Run(Action work) => Run(() => { work(); return 0; });
}
