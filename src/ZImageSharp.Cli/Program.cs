using ZImageSharp.Cli;

// All wiring lives in CliApp so tests can run the exact same entry point in-process.
return CliApp.Run(args, Console.Out, Console.Error);
