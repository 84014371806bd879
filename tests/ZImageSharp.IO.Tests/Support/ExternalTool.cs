using System.ComponentModel;
using System.Diagnostics;

namespace ZImageSharp.IO.Tests.Support;

/// <summary>Runs an optional external program (python3, file) for independent checks; null when it cannot be started.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result? TryRun(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
