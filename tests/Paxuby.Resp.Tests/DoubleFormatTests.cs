namespace Paxuby.Resp.Tests;

/// <summary>
/// Doubles read as Redis 7.2+ writes them (util.c d2string with fpconv_dtoa): integers plainly,
/// other values with their shortest round-trip digits and C-style exponents.
/// </summary>
public class DoubleFormatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1.0, "1")]
    [InlineData(-3.0, "-3")]
    [InlineData(1e8, "100000000")]
    [InlineData(1e18, "1000000000000000000")]
    [InlineData(4611686018427387904.0, "4611686018427387904")]
    [InlineData(1e19, "1e+19")]
    [InlineData(1.5e19, "1.5e+19")]
    [InlineData(12345678901234567000.0, "12345678901234567000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(3.14159, "3.14159")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(1234.5678901234567, "1234.5678901234567")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.000025, "0.000025")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1.5e-7, "-1.5e-7")]
    [InlineData(1.25e-105, "1.25e-105")]
    [InlineData(5e-324, "5e-324")]
    public void Double_is_formatted_as_redis_does(double value, string expected)
    {
        Assert.Equal(expected, RespWriter.FormatDouble(value));
    }

    [Fact]
    public void Formatted_doubles_read_back_to_the_same_value()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value)) continue;
            Assert.Equal(value, double.Parse(RespWriter.FormatDouble(value), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
