#!/usr/bin/env dockscript
// Executed directly: the kernel runs `dockscript Shebang.csx a b`.
Console.WriteLine($"shebang: {string.Join(",", Args)}");
