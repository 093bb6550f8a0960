namespace Paxuby.Bench.Load;

/// <summary>One status line rewritten in place with \r while a workload runs.</summary>
internal static class ProgressLine
{
    private const int Width = 100;

    public static void Show(string text) => Console.Write("\r" + (text.Length > Width ? text[..Width] : text.PadRight(Width)));

    public static void Clear() => Console.Write("\r" + new string(' ', Width) + "\r");
}
