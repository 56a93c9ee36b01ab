// Placeholder entry point; the server itself is being built.
System.Console.WriteLine("FakeApi");
