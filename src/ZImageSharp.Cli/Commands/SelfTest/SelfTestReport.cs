using System.Globalization;
using Spectre.Console;
using ZImageSharp.Cpu;
using ZImageSharp.Cuda;
using ZImageSharp.Tensors;
using ZImageSharp.Verification;

namespace ZImageSharp.Cli.Commands.SelfTest;

/// <summary>
/// One <c>zimage selftest</c> run. The reference is chosen so the check can fail: a GPU is compared with the CPU
/// backend; the CPU backend is compared with double-precision loops that share no code with it (comparing it with
/// itself would pass whatever it computed).
/// </summary>
internal static class SelfTestReport
{
    /// <summary>Runs the self-test; returns 0 when every case passed, 1 otherwise.</summary>
    public static int Run(SelfTestSettings settings, TextWriter output, TextWriter error)
    {
        IReadOnlyList<OpCase> cases = SelfTestRunner.Select(OpCatalog.All, settings.Quick, settings.Filter);
        if (cases.Count == 0)
        {
            throw new UsageException($"--filter {settings.Filter}: no case matches; the ops are {string.Join(", ", OpCatalog.All.Select(c => c.Op).Distinct())}.");
        }

        // The auto fallback note goes to stderr with --json, so stdout stays one JSON document.
        IBackend backend = BackendFactory.Create(settings.Device, settings.Threads, settings.Json ? error : output);
        try
        {
            ICaseReference reference = backend is CpuBackend ? LoopReference.Instance : new BackendReference(CpuBackend.Default);
            string device = Describe(backend);
            if (!settings.Json)
            {
                output.WriteLine($"device: {device}");
                output.WriteLine($"reference: {reference.Name}; {cases.Count} cases{(settings.Quick ? " (quick)" : string.Empty)}");
            }

            IReadOnlyList<CaseResult> results = SelfTestRunner.Run(backend, reference, cases);
            bool gpu = backend is not CpuBackend;
            ThroughputProbe[] probes = settings.Filter is null
                ? [ThroughputProbe.Gemm(backend, gpu ? 4096 : 1024, DType.BF16), ThroughputProbe.Copy(backend, gpu ? 1024 : 64)]
                : [];
            if (settings.Json)
            {
                output.WriteLine(SelfTestJson.Format(device, reference.Name, settings.Quick, settings.Filter, results, probes));
            }
            else
            {
                WriteTable(output, results, probes);
            }

            return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            BackendFactory.Release(backend);
        }
    }

    /// <summary>"cuda:0 (NVIDIA H200, sm_90, 141 GB)" or "cpu (16 threads)".</summary>
    private static string Describe(IBackend backend) => backend switch
    {
        CpuBackend cpu => $"{cpu.Name} ({cpu.Threads} threads, {Environment.ProcessorCount} logical cores)",
        CudaBackend cuda => string.Create(CultureInfo.InvariantCulture, $"{cuda.Name} ({cuda.Device.Name}, sm_{cuda.Device.ComputeCapabilityMajor}{cuda.Device.ComputeCapabilityMinor}, {cuda.Device.TotalMemoryBytes / 1e9:F0} GB, driver {cuda.Device.DriverVersion})"),
        _ => backend.Name,
    };

    private static void WriteTable(TextWriter output, IReadOnlyList<CaseResult> results, IReadOnlyList<ThroughputProbe> probes)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            // A file or a test's writer has no width; wide enough that shapes stay on one line.
            console.Profile.Width = 180;
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("op").AddColumn("case").AddColumn("dtype")
            .AddColumn(new TableColumn("NMSE").RightAligned()).AddColumn(new TableColumn("max abs").RightAligned())
            .AddColumn(new TableColumn("bound (NMSE / max abs)").RightAligned()).AddColumn("result");
        foreach (CaseResult r in results)
        {
            table.AddRow(
                Markup.Escape(r.Op),
                Markup.Escape(r.Case),
                r.DType.ToString().ToLowerInvariant(),
                Number(r.Nmse),
                Number(r.MaxAbs),
                $"{Number(r.Bound.Nmse)} / {Number(r.MaxAbsBound)}",
                r.Passed ? "[green]pass[/]" : $"[red]FAIL[/]{(r.Error is null ? string.Empty : " " + Markup.Escape(r.Error))}");
        }

        console.Write(table);
        foreach (ThroughputProbe p in probes)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Name}: {p.What}: {p.Rate:F2} {p.Unit} ({p.Seconds * 1e3:F2} ms)"));
        }

        int failed = results.Count(r => !r.Passed);
        console.WriteLine(failed == 0 ? $"all {results.Count} cases passed" : $"{failed} of {results.Count} cases FAILED");
    }

    private static string Number(double value) => double.IsNaN(value) ? "NaN" : value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
