// The script's own exit code.
return int.Parse(Args[0]);
