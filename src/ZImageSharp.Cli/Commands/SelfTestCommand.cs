using System.CommandLine;
using ZImageSharp.Cli.Commands.SelfTest;

namespace ZImageSharp.Cli.Commands;

/// <summary>
/// <c>zimage selftest [--device cpu|cuda|auto] [--filter TEXT] [--json] [--quick]</c>: every op of the backend against
/// a reference (the CPU backend for a GPU, double-precision loops for the CPU), a table of the errors and bounds, a
/// GEMM and a copy probe; exit 1 when any case fails.
/// </summary>
internal static class SelfTestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        Option<string> device = BackendFactory.DeviceOption("auto");
        var filter = new Option<string?>("--filter") { Description = "Only cases whose op or shape contains this text, or of this dtype (e.g. matmul, attention, 4128, bf16).", HelpName = "TEXT" };
        var json = new Option<bool>("--json") { Description = "One JSON document (device, cases, probes, totals) instead of the table." };
        var quick = new Option<bool>("--quick") { Description = "The quick catalog (seconds on a CPU); without it the larger DiT-sized products run too." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores).", HelpName = "N" };
        var command = new Command("selftest", "Check every op of a backend against a reference and measure GEMM and copy throughput.") { device, filter, json, quick, threads };
        command.SetAction(parse =>
        {
            var settings = new SelfTestSettings(parse.GetValue(device)!, parse.GetValue(filter), parse.GetValue(json), parse.GetValue(quick), parse.GetValue(threads));
            return SelfTestReport.Run(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }
}
