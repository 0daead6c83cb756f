using TrainingApis.Sandbox;

// Starts the sandbox, says where it listens, then waits forever: only a signal stops it.
await using var sandbox = await TrainingSandbox.StartAsync();
Console.WriteLine($"READY {sandbox.BaseAddress}");
await Task.Delay(Timeout.Infinite);
