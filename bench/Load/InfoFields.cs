using System.Globalization;

namespace Paxuby.Bench.Load;

/// <summary>The <c>name:value</c> lines of an INFO reply, as Redis and Paxuby both write them.</summary>
internal static class InfoFields
{
    /// <summary>Every field whose name starts with <paramref name="prefix"/> and whose value is a number.</summary>
    public static Dictionary<string, double> Numbers(string info, string prefix)
    {
        var fields = new Dictionary<string, double>();
        foreach (string line in info.Split("\r\n"))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.StartsWith(prefix, StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                fields[line[..colon]] = value;
            }
        }
        return fields;
    }
}
