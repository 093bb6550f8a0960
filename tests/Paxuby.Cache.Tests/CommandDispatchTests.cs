namespace Paxuby.Cache.Tests;

public sealed class CommandDispatchTests
{
    private readonly CacheHarness _cache = new();

    [Fact]
    public void Unknown_command_names_it_and_quotes_each_argument_with_a_trailing_space()
    {
        Assert.Equal("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", _cache.Apply("foo", "a", "b"));
        Assert.Equal("-ERR unknown command 'foo', with args beginning with: \r\n", _cache.Apply("foo"));
    }

    [Fact]
    public void Unknown_command_arguments_are_cut_after_128_bytes()
    {
        string reply = _cache.Apply("nope", new string('a', 200), "b");
        Assert.Equal("-ERR unknown command 'nope', with args beginning with: '" + new string('a', 128) + "' \r\n", reply);
    }

    [Fact]
    public void Wrong_arity_names_the_command_in_lower_case()
    {
        Assert.Equal("-ERR wrong number of arguments for 'del' command\r\n", _cache.Apply("DEL"));
        Assert.Equal("-ERR wrong number of arguments for 'ttl' command\r\n", _cache.Apply("ttl", "a", "b"));
    }

    [Fact]
    public void Unknown_subcommand_suggests_help_in_upper_case()
    {
        Assert.Equal("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", _cache.Read("object", "foo"));
    }

    [Fact]
    public void Subcommand_arity_error_names_container_and_subcommand()
    {
        Assert.Equal("-ERR wrong number of arguments for 'object|encoding' command\r\n", _cache.Read("object", "encoding"));
        Assert.Equal("-ERR wrong number of arguments for 'object' command\r\n", _cache.Read("object"));
    }

    [Fact]
    public void Command_names_are_case_insensitive()
    {
        Assert.Equal(":0\r\n", _cache.Apply("dEl", "k"));
        Assert.Equal(":0\r\n", _cache.Read("ExIsTs", "k"));
    }

    [Fact]
    public void Read_path_refuses_a_write_command_and_changes_nothing()
    {
        _cache.Apply("pexpire", "k", "100");
        Assert.StartsWith("-ERR", _cache.Read("del", "k"));
    }

    [Fact]
    public void Server_commands_outside_a_transaction_are_refused_by_the_state_machine()
    {
        Assert.StartsWith("-ERR", _cache.Apply("client", "id"));
        Assert.StartsWith("-ERR", _cache.Apply("subscribe", "ch"));
    }

    [Fact]
    public void Malformed_log_entries_are_rejected_as_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => _cache.ApplyBytes(1, []));
        Assert.Throws<InvalidDataException>(() => _cache.ApplyBytes(1, [9]));
        Assert.Throws<InvalidDataException>(() => _cache.ApplyBytes(1, [1, 0, 2, 5, 0, 0, 0]));
        Assert.Throws<InvalidDataException>(() => _cache.ApplyBytes(1, [1, 16, 2, 0, 0, 0, 0]));
    }

    [Fact]
    public void Empty_command_is_an_unknown_command_not_a_crash()
    {
        Assert.StartsWith("-ERR unknown command ''", _cache.Apply());
    }
}
