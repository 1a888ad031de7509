// The exit code set through Environment.ExitCode.
Environment.ExitCode = int.Parse(Args[0]);
